import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal } from '@sillage/identity';
import { LedgerAccountPageDto } from './dto/ledger-account-page.dto';
import { LedgerBalanceQueryDto } from './dto/ledger-balance.query.dto';
import { LedgerBalanceDto } from './dto/ledger-balance.dto';
import { LedgerCheckReportDto } from './dto/ledger-check-report.dto';
import { PageQueryDto } from '@sillage/common';
import { LedgerTransferPageDto } from './dto/ledger-transfer-page.dto';
import { ListLedgerAccountsQueryDto } from './dto/list-ledger-accounts.query.dto';
import { LedgerQueryService } from './ledger-query.service';

/** Read-only: domain modules write through `Ledger` inside their own transactions. */
@ApiTags('ledger')
@ApiBearerAuth()
@Controller('v1/ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerQueryService) {}

  @Get('accounts')
  @Allow({ roles: ['admin', 'finance', 'viewer'], apiKeys: true })
  @ApiOperation({ summary: 'Ledger accounts: the operator sees all; others the accounts their organisation owns' })
  @ApiOkResponse({ type: LedgerAccountPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListLedgerAccountsQueryDto) {
    return this.ledger.listAccounts(principal, query);
  }

  @Get('accounts/:id/balance')
  @Allow({ roles: ['admin', 'finance', 'viewer'], apiKeys: true })
  @ApiOperation({ summary: 'Posted and pending sums of an account, now or at a business time (`at`)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: LedgerBalanceDto })
  balance(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('ledger account')) id: string,
    @Query() query: LedgerBalanceQueryDto,
  ) {
    return this.ledger.balance(principal, id, query.at);
  }

  @Get('accounts/:id/transfers')
  @Allow({ roles: ['admin', 'finance', 'viewer'], apiKeys: true })
  @ApiOperation({ summary: 'Transfers of an account, newest first (keyset pagination)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: LedgerTransferPageDto })
  transfers(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('ledger account')) id: string,
    @Query() query: PageQueryDto,
  ) {
    return this.ledger.transfers(principal, id, query);
  }

  @Get('check')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'Run the ledger invariant check now (operator admin or finance)' })
  @ApiOkResponse({ type: LedgerCheckReportDto })
  check() {
    return this.ledger.check();
  }
}
