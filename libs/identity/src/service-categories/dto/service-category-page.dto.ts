import { ApiProperty } from '@nestjs/swagger';
import { ServiceCategoryDto } from './service-category.dto';

export class ServiceCategoryPageDto {
  @ApiProperty({ type: [ServiceCategoryDto] })
  items: ServiceCategoryDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
