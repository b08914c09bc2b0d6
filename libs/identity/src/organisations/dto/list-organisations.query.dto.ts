import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsCommuneCode } from '@sillage/common';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ORGANISATION_KINDS, OrganisationKind } from '../../access/principal';
import { PageQueryDto } from '@sillage/common';
import { NoControlCharacters } from '../directory-support';

export class ListOrganisationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ORGANISATION_KINDS })
  @IsOptional()
  @IsIn(ORGANISATION_KINDS)
  kind?: OrganisationKind;

  @ApiPropertyOptional({ description: 'Legal name contains (case-insensitive)', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NoControlCharacters()
  q?: string;

  @ApiPropertyOptional({ description: 'INSEE commune code' })
  @IsOptional()
  @IsCommuneCode()
  communeCode?: string;
}
