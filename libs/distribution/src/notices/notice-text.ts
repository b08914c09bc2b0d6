import { formatFrenchDate, MailMessage } from '@sillage/common';
import { NoticeKind } from './notice.entity';

export interface NoticeFacts {
  kind: NoticeKind;
  orderReference: string;
  remainingBooklets: number;
  distributionEndsOn: string;
  validityEndDate: string;
}

/** The notice in French and English: what is left, and when distribution stops. */
export function noticeText(n: NoticeFacts): { titleFr: string; titleEn: string; bodyFr: string; bodyEn: string } {
  const left = n.remainingBooklets;
  const head: Record<NoticeKind, [string, string]> = {
    validity_30: ['Les chèques expirent dans 30 jours', 'Vouchers expire in 30 days'],
    validity_15: ['Les chèques expirent dans 15 jours', 'Vouchers expire in 15 days'],
    validity_7: ['Les chèques expirent dans 7 jours', 'Vouchers expire in 7 days'],
    distribution_stop: ['La distribution s’arrête aujourd’hui', 'Distribution stops today'],
  };
  const [titleFr, titleEn] = head[n.kind];
  return {
    titleFr: `${titleFr} — commande ${n.orderReference}`,
    titleEn: `${titleEn} — order ${n.orderReference}`,
    bodyFr:
      `Commande ${n.orderReference} : ${left} carnet(s) restent à distribuer. ` +
      `Distribution possible jusqu’au ${formatFrenchDate(n.distributionEndsOn)} inclus ; chèques valables jusqu’au ${formatFrenchDate(n.validityEndDate)}.`,
    bodyEn:
      `Order ${n.orderReference}: ${left} booklet(s) still to hand out. ` +
      `Distribution allowed until ${n.distributionEndsOn} included; vouchers valid until ${n.validityEndDate}.`,
  };
}

export function noticeEmail(to: string, n: NoticeFacts, dashboardUrl: string): MailMessage {
  const t = noticeText(n);
  return {
    to,
    subject: `[Sillage] ${t.titleFr} / ${t.titleEn}`,
    text: `${t.bodyFr}\n\nTableau de bord : ${dashboardUrl}\n\n---\n\n${t.bodyEn}\n\nDashboard: ${dashboardUrl}\n`,
    language: 'fr, en',
  };
}
