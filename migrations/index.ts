import { Foundation1795824210240 } from './1795824210240-Foundation';
import { OutboxFailedState1795825823613 } from './1795825823613-OutboxFailedState';
import { SeedServiceCategories1795825925326 } from './1795825925326-SeedServiceCategories';
import { Ledger1795828541044 } from './1795828541044-Ledger';
import { AuditMerkle1795828569846 } from './1795828569846-AuditMerkle';
import { Funding1795831015161 } from './1795831015161-Funding';
import { OrdersIssuance1795833648726 } from './1795833648726-OrdersIssuance';
import { PrintFiles1795834479642 } from './1795834479642-PrintFiles';
import { Distribution1795838348189 } from './1795838348189-Distribution';
import { BookletAutovacuum1795843611733 } from './1795843611733-BookletAutovacuum';
import { SitesRedemption1795844017121 } from './1795844017121-SitesRedemption';
import { SystemPersonalDataReads1795846418569 } from './1795846418569-SystemPersonalDataReads';
import { AuditSealByTransactionId1795857818330 } from './1795857818330-AuditSealByTransactionId';
import { Settlement1795859711210 } from './1795859711210-Settlement';
import { Payouts1795864923072 } from './1795864923072-Payouts';
import { SettlementExpiryCreditNotes1795865125681 } from './1795865125681-SettlementExpiryCreditNotes';
import { BankStatementImport1795865559207 } from './1795865559207-BankStatementImport';
import { SettlementCorrections1795865661331 } from './1795865661331-SettlementCorrections';
import { RedemptionTransfersPosted1795900000000 } from './1795900000000-RedemptionTransfersPosted';
import { RedemptionFillfactor1795900100000 } from './1795900100000-RedemptionFillfactor';
import { ReportAggregates1795900200000 } from './1795900200000-ReportAggregates';
import { PolicyPublication1795900300000 } from './1795900300000-PolicyPublication';
import { ReportMoney1795900400000 } from './1795900400000-ReportMoney';
import { ReportLatencies1795900500000 } from './1795900500000-ReportLatencies';
import { ReportFunnel1795900600000 } from './1795900600000-ReportFunnel';
import { ReportSettledPaid1795900700000 } from './1795900700000-ReportSettledPaid';
import { ReportSiteDimensions1795900800000 } from './1795900800000-ReportSiteDimensions';
import { ReportFirstUse1795900900000 } from './1795900900000-ReportFirstUse';
import { ReportRollups1795901000000 } from './1795901000000-ReportRollups';
import { ReportSettledRedemptions1795901100000 } from './1795901100000-ReportSettledRedemptions';
import { ReportExports1795901200000 } from './1795901200000-ReportExports';
import { ReportLinkDays1795901300000 } from './1795901300000-ReportLinkDays';
import { HandoverBookletIndex1795901400000 } from './1795901400000-HandoverBookletIndex';

/** Every migration, in order. Generated files are reviewed, then registered here. */
export const allMigrations = [
  Foundation1795824210240,
  OutboxFailedState1795825823613,
  SeedServiceCategories1795825925326,
  Ledger1795828541044,
  AuditMerkle1795828569846,
  Funding1795831015161,
  OrdersIssuance1795833648726,
  PrintFiles1795834479642,
  Distribution1795838348189,
  BookletAutovacuum1795843611733,
  SitesRedemption1795844017121,
  SystemPersonalDataReads1795846418569,
  AuditSealByTransactionId1795857818330,
  Settlement1795859711210,
  Payouts1795864923072,
  SettlementExpiryCreditNotes1795865125681,
  BankStatementImport1795865559207,
  SettlementCorrections1795865661331,
  RedemptionTransfersPosted1795900000000,
  RedemptionFillfactor1795900100000,
  ReportAggregates1795900200000,
  PolicyPublication1795900300000,
  ReportMoney1795900400000,
  ReportLatencies1795900500000,
  ReportFunnel1795900600000,
  ReportSettledPaid1795900700000,
  ReportSiteDimensions1795900800000,
  ReportFirstUse1795900900000,
  ReportRollups1795901000000,
  ReportSettledRedemptions1795901100000,
  ReportExports1795901200000,
  ReportLinkDays1795901300000,
  HandoverBookletIndex1795901400000,
];
