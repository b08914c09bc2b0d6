import { ApiProperty } from '@nestjs/swagger';
import { AnnouncementDto } from './announcement.dto';

export class PolicyDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ nullable: true, type: String })
  description: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'Its public address, once published' })
  slug: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Published: its transparency report is public' })
  publishedAt: string | null;

  @ApiProperty({ type: [AnnouncementDto], description: 'Every announcement, oldest first' })
  announcements: AnnouncementDto[];

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}
