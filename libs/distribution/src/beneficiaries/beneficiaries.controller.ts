import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { BeneficiariesService, EraseDto, PurposeQueryDto, WithdrawConsentDto } from './beneficiaries.service';
import {
  BeneficiaryDto,
  BeneficiaryErasedDto,
  BeneficiaryExportDto,
  ConsentWithdrawnDto,
  PersonalDataReadsDto,
} from './dto/beneficiary.dto';

const ID = new ParseIdPipe('beneficiary');

@ApiTags('personal data')
@ApiBearerAuth()
@Controller('v1/beneficiaries')
export class BeneficiariesController {
  constructor(private readonly beneficiaries: BeneficiariesService) {}

  @Get(':id')
  @Allow({ kinds: ['operator', 'distributor'], roles: ['admin', 'dpo'] })
  @ApiOperation({
    summary:
      'A beneficiary’s profile and consented records (recording distributor’s admins, operator DPO); the read and its purpose are logged',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BeneficiaryDto, description: 'Profile, opened records with their consent, hand-overs' })
  @ApiProblems(400, 401, 403, 404)
  read(@CurrentPrincipal() principal: Principal, @Param('id', ID) id: string, @Query() query: PurposeQueryDto) {
    return this.beneficiaries.read(principal, id, query.purpose);
  }

  @Get(':id/export')
  @Allow({ kinds: ['operator', 'distributor'], roles: ['admin', 'dpo'] })
  @ApiOperation({ summary: 'Data-subject access export (GDPR art. 15): every stored row about the person, as JSON; audited' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BeneficiaryExportDto, description: 'JSON export' })
  @ApiProblems(401, 403, 404)
  export(@CurrentPrincipal() principal: Principal, @Param('id', ID) id: string, @RequestId() requestId?: string) {
    return this.beneficiaries.export(principal, id, requestId);
  }

  @Get(':id/access-log')
  @Allow({ kinds: ['operator'], roles: ['dpo'] })
  @ApiOperation({ summary: 'Who read this person’s data, when and why (operator DPO)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PersonalDataReadsDto })
  @ApiProblems(401, 403, 404)
  accessLog(@CurrentPrincipal() principal: Principal, @Param('id', ID) id: string) {
    return this.beneficiaries.readsOf(principal, id);
  }

  @Post(':id/withdraw-consent')
  @HttpCode(200)
  @Allow({ kinds: ['operator', 'distributor'], roles: ['admin', 'dpo'] })
  @ApiOperation({ summary: 'Consent withdrawn: the record it covered (e.g. contact) is deleted at once' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ConsentWithdrawnDto })
  @ApiProblems(400, 401, 403, 404)
  withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ID) id: string,
    @Body() body: WithdrawConsentDto,
    @RequestId() requestId?: string,
  ) {
    return this.beneficiaries.withdrawConsent(principal, id, body.field, requestId);
  }

  @Post(':id/erase')
  @HttpCode(200)
  @Allow({ kinds: ['operator', 'distributor'], roles: ['admin', 'dpo'] })
  @ApiOperation({
    summary: 'Erase the person (GDPR art. 17): data key destroyed, records deleted, profile unlinked; counts and the audit trail stay',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BeneficiaryErasedDto })
  @ApiProblems(400, 401, 403, 404)
  erase(@CurrentPrincipal() principal: Principal, @Param('id', ID) id: string, @Body() body: EraseDto, @RequestId() requestId?: string) {
    return this.beneficiaries.erase(principal, id, body.reasonCode, requestId);
  }
}
