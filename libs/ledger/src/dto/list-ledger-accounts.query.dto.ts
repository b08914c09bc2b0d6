import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { ACCOUNT_KINDS, AccountKind } from '../ledger.types';
import { LedgerPageQueryDto } from './ledger-page-query.dto';

export class ListLedgerAccountsQueryDto extends LedgerPageQueryDto {
  @ApiPropertyOptional({ enum: ACCOUNT_KINDS })
  @IsOptional()
  @IsIn(ACCOUNT_KINDS)
  kind?: AccountKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  orderId?: string;
}
