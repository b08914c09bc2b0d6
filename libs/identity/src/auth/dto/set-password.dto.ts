import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class SetPasswordDto {
  @ApiProperty({ description: 'The token from the set-password link (after "#token=").' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token: string;

  @ApiProperty({
    format: 'password',
    maxLength: 1024,
    description:
      '12 to 128 characters, 3 of 4 classes, not containing the email, not a common password; violations come back as errors[].code.',
  })
  @IsString()
  @MaxLength(1024)
  password: string;
}
