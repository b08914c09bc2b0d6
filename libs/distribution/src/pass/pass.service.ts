import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { addDays, communeName, parisDate } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { passTokenHash } from '@sillage/issuance';
import { PARIS_TODAY_SQL, siteLabelValidSql } from '@sillage/sites';
import { DistributionError } from '../distribution.errors';

export class PassLookupDto {
  @ApiProperty({ description: 'The token after # in the booklet cover’s link (never put it in a URL)', example: 'q3V…' })
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token must be the 43-character token from the booklet’s cover' })
  token: string;
}

export class PassSiteDto {
  @ApiProperty() name: string;
  @ApiProperty() communeCode: string;
  @ApiProperty({ type: String, nullable: true }) communeName: string | null;
  @ApiProperty() postcode: string;
  @ApiProperty() addressLine: string;
}

export class PassHistoryDto {
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty() siteName: string;
  @ApiProperty({ type: String, nullable: true }) category: string | null;
  @ApiProperty() vouchers: number;
}

export class PassViewDto {
  @ApiProperty() bookletSerial: string;
  @ApiProperty() funderName: string;
  @ApiProperty({ enum: ['usable', 'not_yet_usable', 'blocked', 'expired', 'used_up'] }) status: string;
  @ApiProperty() faceValueCents: number;
  @ApiProperty() vouchersTotal: number;
  @ApiProperty() vouchersLeft: number;
  @ApiProperty() valueLeftCents: number;
  @ApiProperty({ format: 'date' }) validUntil: string;
  @ApiProperty({ format: 'date', description: 'Last day a service can be done with these vouchers' }) redemptionDeadline: string;
  @ApiProperty({ type: [String], description: 'Service categories the vouchers pay for (empty: all)' }) serviceCategories: string[];
  @ApiProperty({ type: [PassSiteDto], description: 'Eligible sites, nearest first' }) sites: PassSiteDto[];
  @ApiProperty({ type: [PassHistoryDto] }) history: PassHistoryDto[];
  @ApiProperty({ description: 'How to exercise GDPR rights: POST /v1/privacy-requests with this token' }) privacyRequestPath: string;
}

interface PassRow {
  bookletId: string;
  serial: string;
  funderName: string;
  state: string;
  blocked: boolean;
  faceValueCents: string;
  validityEndDate: string;
  toleranceDays: number;
  orderStatus: string;
  redeemableBeforeDistribution: boolean;
  serviceCategoryCodes: string[];
  departmentCodes: string[];
  communeCodes: string[];
  siteOrganisationIds: string[];
  beneficiaryCommune: string | null;
  total: number;
  left: number;
}

/**
 * The beneficiary's pass page: what is left on the booklet, until when, where to go, what was used.
 * Public (the token is the credential), rate-limited, and never returns personal data: the profile's
 * commune only orders the sites list.
 */
@Injectable()
export class PassService {
  constructor(private readonly tx: TransactionRunner) {}

  async lookup(token: string): Promise<PassViewDto | undefined> {
    const rows: PassRow[] = await this.tx.manager.query(
      `SELECT b.id AS "bookletId", b.serial, f.legal_name AS "funderName", b.state, b.blocked_at IS NOT NULL AS blocked,
              o.face_value_cents AS "faceValueCents", to_char(o.validity_end_date, 'YYYY-MM-DD') AS "validityEndDate",
              o.tolerance_days AS "toleranceDays", o.status AS "orderStatus", o.redeemable_before_distribution AS "redeemableBeforeDistribution",
              o.service_category_codes AS "serviceCategoryCodes", o.department_codes AS "departmentCodes", o.commune_codes AS "communeCodes",
              o.site_organisation_ids AS "siteOrganisationIds",
              (SELECT p.commune_code FROM handover h JOIN beneficiary_profile p ON p.id = h.profile_id
               WHERE h.booklet_id = b.id AND h.returned_at IS NULL) AS "beneficiaryCommune",
              (SELECT count(*)::int FROM voucher v WHERE v.booklet_id = b.id AND v.status NOT IN ('VOID', 'REPLACED')) AS total,
              (SELECT count(*)::int FROM voucher v WHERE v.booklet_id = b.id AND v.status = 'ACTIVE') AS left
       FROM booklet b JOIN purchase_order o ON o.id = b.order_id JOIN organisation f ON f.id = o.funder_id
       WHERE b.pass_token_hash = $1`,
      [passTokenHash(token)],
    );
    const r = rows[0];
    if (!r) return undefined;
    const face = Number(r.faceValueCents);
    const deadline = addDays(r.validityEndDate, r.toleranceDays);
    const today = parisDate(new Date());
    const status =
      today > deadline
        ? 'expired'
        : r.blocked
          ? 'blocked'
          : r.orderStatus !== 'paid' || (r.state !== 'DISTRIBUTED' && !r.redeemableBeforeDistribution)
            ? 'not_yet_usable'
            : r.left === 0
              ? 'used_up'
              : 'usable';
    return {
      bookletSerial: r.serial,
      funderName: r.funderName,
      status,
      faceValueCents: face,
      vouchersTotal: r.total,
      vouchersLeft: status === 'expired' ? 0 : r.left,
      valueLeftCents: status === 'expired' ? 0 : r.left * face,
      validUntil: r.validityEndDate,
      redemptionDeadline: deadline,
      serviceCategories: r.serviceCategoryCodes,
      sites: await this.sites(r),
      history: await this.history(r.bookletId),
      privacyRequestPath: '/v1/privacy-requests',
    };
  }

  /**
   * What the booklet was used for: one line per redemption (undone ones excluded), oldest first — the
   * Paris day of the service, the site, the category — never who scanned it or any personal data.
   */
  private async history(bookletId: string): Promise<PassHistoryDto[]> {
    return this.tx.manager.query(
      `SELECT to_char(r.occurred_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS date, s.legal_name AS "siteName",
              coalesce(c.label_fr, r.service_category_code) AS category, r.voucher_count AS vouchers
       FROM redemption r JOIN organisation s ON s.id = r.site_id LEFT JOIN service_category c ON c.code = r.service_category_code
       WHERE r.booklet_id = $1 AND r.undone_at IS NULL ORDER BY r.occurred_at, r.id`,
      [bookletId],
    );
  }

  /**
   * Eligible sites: sites qualified now with a label valid today (Europe/Paris) — the rule redemption
   * applies — from the order's allow-list, or inside its territory; nearest to the beneficiary first.
   */
  private async sites(r: PassRow): Promise<PassSiteDto[]> {
    const near = r.beneficiaryCommune ?? r.communeCodes[0] ?? null;
    const rows: { name: string; communeCode: string; postcode: string; addressLine: string }[] = await this.tx.manager.query(
      `SELECT legal_name AS name, commune_code AS "communeCode", postcode, address_line AS "addressLine" FROM organisation s
       WHERE 'site' = ANY(s.kinds) AND ${siteLabelValidSql('s.id', PARIS_TODAY_SQL)}
         AND (CASE WHEN cardinality($1::uuid[]) > 0 THEN s.id = ANY($1::uuid[])
                   WHEN cardinality($2::text[]) + cardinality($3::text[]) > 0
                     THEN s.commune_code = ANY($3::text[]) OR left(s.commune_code, CASE WHEN s.commune_code LIKE '97%' THEN 3 ELSE 2 END) = ANY($2::text[])
                   ELSE true END)
       ORDER BY (s.commune_code = $4) DESC, (left(s.commune_code, 2) = left($4, 2)) DESC, s.legal_name
       LIMIT 20`,
      [r.siteOrganisationIds, r.departmentCodes, r.communeCodes, near ?? ''],
    );
    return rows.map((s) => ({ ...s, communeName: communeName(s.communeCode) ?? null }));
  }

  /** The booklet a pass token opens, for privacy requests (404 otherwise). */
  async bookletOf(token: string): Promise<string> {
    const rows: { id: string }[] = await this.tx.manager.query(`SELECT id FROM booklet WHERE pass_token_hash = $1`, [passTokenHash(token)]);
    if (!rows[0]) throw new DistributionError('NOT_FOUND', 'no booklet has this pass token');
    return rows[0].id;
  }
}
