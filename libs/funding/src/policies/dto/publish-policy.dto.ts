import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

export class PublishPolicyDto {
  @ApiProperty({
    example: 'pass-numerique',
    maxLength: 80,
    description: 'Its public address: lower-case letters, digits and single hyphens (`/v1/public/policies/{slug}/transparency`)',
  })
  @IsString()
  @MaxLength(80)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'slug must be lower-case letters and digits separated by single hyphens' })
  slug: string;
}
