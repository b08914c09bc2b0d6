import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { Text } from '@sillage/funding';

/** A new bank account for the site's payouts; effective once a second person (operator) verifies it. */
export class RequestBankAccountDto {
  @ApiProperty({
    example: 'FR76 3000 6000 0112 3456 7890 189',
    description: 'IBAN of an account in a SEPA country; spaces and hyphens are ignored, stored in electronic format',
  })
  @IsString()
  @MaxLength(64)
  iban: string;

  @ApiProperty({
    example: 'AGRIFRPP882',
    description: 'BIC (8 or 11 characters) of the bank holding the account, same country as the IBAN',
  })
  @IsString()
  @MaxLength(20)
  bic: string;

  @ApiProperty({
    maxLength: 70,
    example: 'Association Les Connectés',
    description: 'Account holder as the bank knows it (SEPA: 70 characters)',
  })
  @Text(70)
  holderName: string;
}
