import { ApiProperty } from '@nestjs/swagger';
import { ProgrammeDto } from './programme.dto';

export class ProgrammePageDto {
  @ApiProperty({ type: [ProgrammeDto] })
  items: ProgrammeDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
