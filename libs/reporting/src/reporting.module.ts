import { Module } from '@nestjs/common';
import { AuditModule } from '@sillage/audit';
import { ReportConsumer } from './consumer/report-consumer';
import { ReportingLoop } from './consumer/reporting-loop';
import { ReportSnapshot } from './consumer/report-snapshot';
import { ReportExportsController } from './exports/report-exports.controller';
import { ReportExports } from './exports/report-exports.service';
import { RenderReportPdfJob } from './exports/render-report-pdf.job';
import { FunnelController } from './funnel/funnel.controller';
import { FunnelService } from './funnel/funnel.service';
import { MoneyController } from './money/money.controller';
import { PeopleController } from './people/people.controller';
import { PeopleService } from './people/people.service';
import { MoneyService } from './money/money.service';
import { OrderFiguresController } from './orders/order-figures.controller';
import { OrderFiguresService } from './orders/order-figures.service';
import { PublicTransparencyController, TransparencyController } from './transparency/transparency.controller';
import { TransparencyService } from './transparency/transparency.service';

/** Reports from the sealed audit log (issue 8): aggregates consumed in leaf order, transparency reports. */
@Module({
  imports: [AuditModule],
  controllers: [
    TransparencyController,
    PublicTransparencyController,
    OrderFiguresController,
    MoneyController,
    FunnelController,
    PeopleController,
    ReportExportsController,
  ],
  providers: [
    ReportConsumer,
    ReportingLoop,
    ReportSnapshot,
    TransparencyService,
    OrderFiguresService,
    MoneyService,
    FunnelService,
    PeopleService,
    ReportExports,
    RenderReportPdfJob,
  ],
  exports: [ReportConsumer, ReportingLoop],
})
export class ReportingModule {}
