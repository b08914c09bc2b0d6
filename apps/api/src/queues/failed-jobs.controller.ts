import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '@sillage/identity';
import { FailedJobsService } from '@sillage/queue';
import { FailedJobListDto } from './dto/failed-job-list.dto';
import { ListFailedJobsQueryDto } from './dto/list-failed-jobs.query.dto';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/jobs')
export class FailedJobsController {
  constructor(private readonly failedJobs: FailedJobsService) {}

  @Get('failed')
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({
    summary: 'Jobs that failed for good',
    description:
      'Outbox rows that failed in-process (no Redis) and, when Redis is configured, failed BullMQ jobs of every queue. Most recent first; `limit` only (no cursor).',
  })
  @ApiOkResponse({ type: FailedJobListDto })
  async list(@Query() query: ListFailedJobsQueryDto): Promise<FailedJobListDto> {
    const list = await this.failedJobs.list(query.limit ?? 20);
    return {
      items: list.items.map((j) => ({
        source: j.source,
        queue: j.queue,
        name: j.name,
        jobId: j.jobId,
        attempts: j.attempts,
        failedReason: j.failedReason,
        createdAt: j.createdAt.toISOString(),
        failedAt: j.failedAt ? j.failedAt.toISOString() : null,
      })),
      hasMore: list.hasMore,
      queues: list.queues,
    };
  }
}
