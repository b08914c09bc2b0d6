import { ApiProperty } from '@nestjs/swagger';

export class QueuesSessionDto {
  @ApiProperty({
    example: '/admin/queues',
    description: 'Open this path in the same browser: the HttpOnly sillage_queues cookie grants access',
  })
  boardPath: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}
