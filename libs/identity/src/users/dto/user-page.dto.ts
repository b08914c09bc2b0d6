import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from './user.dto';

export class UserPageDto {
  @ApiProperty({ type: [UserDto] })
  items: UserDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
