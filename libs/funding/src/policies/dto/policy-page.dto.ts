import { ApiProperty } from '@nestjs/swagger';
import { PolicyDto } from './policy.dto';

export class PolicyPageDto {
  @ApiProperty({ type: [PolicyDto] })
  items: PolicyDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
