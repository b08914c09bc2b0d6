import { ApiProperty } from '@nestjs/swagger';
import { AmendmentDto } from './amendment.dto';
import { GrantDto } from './grant.dto';

/** A grant's full history: its current state and every amendment, oldest first (a handful per grant, not paginated). */
export class AmendmentListDto {
  @ApiProperty({ type: GrantDto })
  grant: GrantDto;

  @ApiProperty({ type: [AmendmentDto] })
  items: AmendmentDto[];
}
