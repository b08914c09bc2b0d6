import { ApiProperty } from '@nestjs/swagger';

export class SetPasswordLinkDto {
  @ApiProperty({ description: 'One-time link, shown only in this response', example: 'https://sillage.example/set-password#token=…' })
  setPasswordUrl: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}
