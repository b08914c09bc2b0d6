import { ApiProperty } from '@nestjs/swagger';

export class ServiceCategoryDto {
  @ApiProperty({ example: 'atelier-collectif' })
  code: string;

  @ApiProperty({ example: 'Atelier collectif' })
  labelFr: string;

  @ApiProperty({ example: 'Group workshop' })
  labelEn: string;

  @ApiProperty()
  active: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}
