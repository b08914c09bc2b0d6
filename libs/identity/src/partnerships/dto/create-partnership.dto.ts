import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class CreatePartnershipDto {
  @ApiProperty({ format: 'uuid', description: 'An organisation of kind funder' })
  @IsUUID('all')
  funderId: string;

  @ApiProperty({ format: 'uuid', description: 'An organisation of kind distributor' })
  @IsUUID('all')
  distributorId: string;
}
