import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '@sillage/common';
import { BANK_ACCOUNT_STATUSES, BankAccountStatus } from '../site-bank-account.entity';

export class ListBankAccountsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: BANK_ACCOUNT_STATUSES, default: 'pending', description: 'Default: the changes waiting for verification' })
  @IsOptional()
  @IsIn(BANK_ACCOUNT_STATUSES, { message: `status must be one of ${BANK_ACCOUNT_STATUSES.join(', ')}` })
  status?: BankAccountStatus;
}
