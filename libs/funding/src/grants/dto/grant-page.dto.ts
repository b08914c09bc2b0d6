import { ApiProperty } from '@nestjs/swagger';
import { GrantDto } from './grant.dto';

export class GrantPageDto {
  @ApiProperty({ type: [GrantDto] })
  items: GrantDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
