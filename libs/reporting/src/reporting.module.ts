import { Module } from '@nestjs/common';
import { AuditModule } from '@sillage/audit';
import { ReportConsumer } from './consumer/report-consumer';
import { ReportingLoop } from './consumer/reporting-loop';
import { PublicTransparencyController, TransparencyController } from './transparency/transparency.controller';
import { TransparencyService } from './transparency/transparency.service';

/** Reports from the sealed audit log (issue 8): aggregates consumed in leaf order, transparency reports. */
@Module({
  imports: [AuditModule],
  controllers: [TransparencyController, PublicTransparencyController],
  providers: [ReportConsumer, ReportingLoop, TransparencyService],
  exports: [ReportConsumer, ReportingLoop],
})
export class ReportingModule {}
