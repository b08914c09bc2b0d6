import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class QueuesStatusDto {
  @ApiProperty({
    enum: ['ok', 'unavailable', 'not-configured'],
    description:
      '`not-configured`: no REDIS_URL, jobs run in-process; `unavailable`: Redis could not be read, only outbox failures are listed',
  })
  status: 'ok' | 'unavailable' | 'not-configured';

  @ApiPropertyOptional()
  detail?: string;
}
