import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems, PageQueryDto } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { SITE_ID } from '../profiles/site-profiles.controller';
import { BankAccountsService } from './bank-accounts.service';
import { BankAccountPageDto } from './dto/bank-account-page.dto';
import { BankAccountDto } from './dto/bank-account.dto';
import { ListBankAccountsQueryDto } from './dto/list-bank-accounts.query.dto';
import { RejectBankAccountDto } from './dto/reject-bank-account.dto';
import { RequestBankAccountDto } from './dto/request-bank-account.dto';

const ACCOUNT_ID = new ParseIdPipe('bank account');

@ApiTags('sites')
@ApiBearerAuth()
@Controller('v1/sites')
export class BankAccountsController {
  constructor(private readonly accounts: BankAccountsService) {}

  @Post(':id/bank-accounts')
  @Allow({ kinds: ['operator', 'site'], roles: ['admin', 'finance'] })
  @ApiOperation({
    summary: 'Request a bank account change (site admin or finance, or the operator on its behalf); effective once verified',
    description:
      'IBAN normalised and validated (length, format, check digits, national key, SEPA country: IBAN_INVALID); BIC validated ' +
      '(BIC_INVALID), in the IBAN’s country (or a SEPA territory sharing its IBAN code). One pending request at a time ' +
      '(BANK_ACCOUNT_PENDING).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: BankAccountDto })
  @ApiProblems(400, 401, 403, 404, 409)
  request(
    @CurrentPrincipal() principal: Principal,
    @Param('id', SITE_ID) id: string,
    @Body() body: RequestBankAccountDto,
    @RequestId() requestId?: string,
  ) {
    return this.accounts.request(principal, id, body, requestId);
  }

  @Get(':id/bank-accounts')
  @Allow({ kinds: ['operator', 'site'] })
  @ApiOperation({
    summary: 'The site’s bank accounts, oldest request first, with validity ranges (the site itself, the operator)',
    description: 'Full IBANs for admin and finance users; masked (country, check digits, last 4) for other roles.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BankAccountPageDto })
  @ApiProblems(400, 401, 404)
  list(@CurrentPrincipal() principal: Principal, @Param('id', SITE_ID) id: string, @Query() query: PageQueryDto) {
    return this.accounts.list(principal, id, query);
  }

  @Post(':id/bank-accounts/:accountId/verify')
  @HttpCode(200)
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({
    summary:
      'Verify a pending bank account (operator admin or finance, not its requester): it becomes current, the previous one superseded',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'accountId', format: 'uuid' })
  @ApiOkResponse({ type: BankAccountDto })
  @ApiProblems(401, 403, 404, 409)
  verify(
    @CurrentPrincipal() principal: Principal,
    @Param('id', SITE_ID) id: string,
    @Param('accountId', ACCOUNT_ID) accountId: string,
    @RequestId() requestId?: string,
  ) {
    return this.accounts.verify(principal, id, accountId, requestId);
  }

  @Post(':id/bank-accounts/:accountId/reject')
  @HttpCode(200)
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'Reject a pending bank account (operator admin or finance, not its requester), with a reason code' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'accountId', format: 'uuid' })
  @ApiOkResponse({ type: BankAccountDto })
  @ApiProblems(400, 401, 403, 404, 409)
  reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id', SITE_ID) id: string,
    @Param('accountId', ACCOUNT_ID) accountId: string,
    @Body() body: RejectBankAccountDto,
    @RequestId() requestId?: string,
  ) {
    return this.accounts.reject(principal, id, accountId, body, requestId);
  }
}

/** The operator's queue of bank account changes, across sites (four eyes: verified by someone else). */
@ApiTags('sites')
@ApiBearerAuth()
@Controller('v1/bank-accounts')
export class BankAccountQueueController {
  constructor(private readonly accounts: BankAccountsService) {}

  @Get()
  @Allow({ kinds: ['operator'] })
  @ApiOperation({
    summary: 'Every site’s bank accounts in one status, oldest request first (operator); default: the changes waiting for verification',
    description: 'Full IBANs for admin and finance users; masked for other roles.',
  })
  @ApiOkResponse({ type: BankAccountPageDto })
  @ApiProblems(400, 401, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListBankAccountsQueryDto) {
    return this.accounts.listByStatus(principal, query);
  }
}
