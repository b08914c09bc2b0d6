import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from './user.dto';

export class CreatedUserDto extends UserDto {
  @ApiProperty({
    description: 'One-time link for the admin to hand over; shown only in this response. An email with its own link is sent too.',
    example: 'https://sillage.example/set-password#token=…',
  })
  setPasswordUrl: string;

  @ApiProperty({ format: 'date-time' })
  setPasswordExpiresAt: string;
}
