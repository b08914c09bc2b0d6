import { ApiProperty } from '@nestjs/swagger';

export class SiteAddressDto {
  @ApiProperty({ example: '12 rue de la République' })
  line: string;

  @ApiProperty({ example: '69002' })
  postcode: string;

  @ApiProperty({ example: '69382', description: 'INSEE commune code' })
  communeCode: string;

  @ApiProperty({ type: String, nullable: true, example: 'Lyon 2e Arrondissement', description: 'Official name of the commune' })
  communeName: string | null;
}
