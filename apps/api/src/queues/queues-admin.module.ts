import { Module } from '@nestjs/common';
import { FailedJobsController } from './failed-jobs.controller';
import { QueuesSessionController } from './queues-session.controller';

/** Operator tools for jobs: the failed-jobs listing and the Bull Board session (board mounted in create-app). */
@Module({ controllers: [FailedJobsController, QueuesSessionController] })
export class QueuesAdminModule {}
