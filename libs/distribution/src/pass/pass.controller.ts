import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, Public } from '@sillage/identity';
import {
  CreatePrivacyRequestDto,
  ListPrivacyRequestsQueryDto,
  PrivacyRequestPageDto,
  PrivacyRequestReceiptDto,
  PrivacyRequestsService,
} from '@sillage/privacy';
import type { FastifyRequest } from 'fastify';
import { DistributionError } from '../distribution.errors';
import { PassLookupDto, PassService, PassViewDto } from './pass.service';
import { PublicTokenThrottle } from './public-throttle';

@ApiTags('pass page')
@Controller()
export class PassController {
  constructor(
    private readonly pass: PassService,
    private readonly throttle: PublicTokenThrottle,
    private readonly requests: PrivacyRequestsService,
  ) {}

  @Post('v1/pass/lookup')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary:
      'The beneficiary’s pass page: what is left on the booklet, until when, where to go, what was used — no personal data. The token travels in the body, never in a URL',
  })
  @ApiOkResponse({ type: PassViewDto })
  @ApiProblems(400, 404, 429)
  async lookup(@Body() body: PassLookupDto, @Req() req: FastifyRequest): Promise<PassViewDto> {
    await this.throttle.before('pass', req.ip);
    const view = await this.pass.lookup(body.token);
    if (!view) {
      await this.throttle.failed('pass', req.ip);
      throw new DistributionError('NOT_FOUND', 'no booklet has this pass token: check the link on the booklet’s cover');
    }
    return view;
  }

  @Post('v1/privacy-requests')
  @Public()
  @ApiOperation({
    summary: 'Exercise GDPR rights (access, erasure, rectification, objection, consent withdrawal) with the booklet’s pass token',
  })
  @ApiCreatedResponse({ type: PrivacyRequestReceiptDto })
  @ApiProblems(400, 404, 429)
  async open(@Body() body: CreatePrivacyRequestDto, @Req() req: FastifyRequest): Promise<PrivacyRequestReceiptDto> {
    await this.throttle.before('privacy', req.ip);
    let bookletId: string;
    try {
      bookletId = await this.pass.bookletOf(body.token);
    } catch (e) {
      await this.throttle.failed('privacy', req.ip);
      throw e;
    }
    return this.requests.open(bookletId, body.kind, body.message);
  }

  @Get('v1/privacy-requests')
  @ApiBearerAuth()
  @Allow({ kinds: ['operator'], roles: ['dpo'] })
  @ApiOperation({ summary: 'Data-subject requests to handle (operator DPO)' })
  @ApiOkResponse({ type: PrivacyRequestPageDto })
  @ApiProblems(400, 401, 403)
  list(@Query() query: ListPrivacyRequestsQueryDto) {
    return this.requests.list(query);
  }
}
