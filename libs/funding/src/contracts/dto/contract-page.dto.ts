import { ApiProperty } from '@nestjs/swagger';
import { ContractDto } from './contract.dto';

export class ContractPageDto {
  @ApiProperty({ type: [ContractDto] })
  items: ContractDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
