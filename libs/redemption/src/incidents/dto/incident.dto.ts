import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { RecordedPeriodQueryDto } from '../../redemptions/dto/redemption.dto';
import { INCIDENT_STATUSES, IncidentStatus } from '../../redemptions/redemption.entity';

/** Why a scan became an incident rather than a redemption. */
export const INCIDENT_REASONS = ['ALREADY_REDEEMED', 'OFFLINE_WINDOW_EXCEEDED', 'EXPIRED'] as const;

export const INCIDENT_DECISIONS = ['accepted', 'rejected'] as const;
export type IncidentDecision = (typeof INCIDENT_DECISIONS)[number];

/** Reason codes of an accepted incident: the service was delivered and the site should be paid. */
export const INCIDENT_ACCEPT_REASONS = ['service_delivered', 'scanner_offline', 'late_sync_justified', 'other'] as const;
/** Reason codes of a rejected incident: the site is not paid for this scan. */
export const INCIDENT_REJECT_REASONS = [
  'duplicate_scan',
  'service_not_delivered',
  'late_sync_unjustified',
  'fraud_suspected',
  'other',
] as const;
/** Every resolution reason code; a reason must also fit the decision (see IncidentsService.resolve). */
export const INCIDENT_RESOLUTION_REASONS = [...new Set([...INCIDENT_ACCEPT_REASONS, ...INCIDENT_REJECT_REASONS])];

export class IncidentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty({ description: 'The idempotency key of the scan, as the scanner sent it' }) idempotencyKey: string;
  @ApiProperty({ enum: INCIDENT_REASONS, description: 'Why the scan could not be redeemed' }) reasonCode: string;
  @ApiProperty({ nullable: true, type: String, example: 'SLG-2026-000123' }) bookletSerial: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) orderId: string | null;
  @ApiProperty({ type: [String], example: ['SLG-2026-000123-07'] }) voucherSerials: string[];
  @ApiProperty({ description: 'What the site claims: face value × vouchers, in cents' }) amountCents: number;
  @ApiProperty() serviceCategoryCode: string;
  @ApiProperty({ format: 'date-time', description: 'When the service took place (as scanned)' }) occurredAt: string;
  @ApiProperty({ format: 'date-time', description: 'When the scan was synced' }) recordedAt: string;
  @ApiProperty({ enum: INCIDENT_STATUSES }) status: IncidentStatus;
  @ApiProperty({ nullable: true, type: String, description: 'The operator’s reason code, once resolved' }) resolutionReason: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) resolvedBy: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt: string | null;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The settlement statement whose correction line pays an accepted incident (set by settlement; null until then)',
  })
  statementId: string | null;
}

export class IncidentPageDto {
  @ApiProperty({ type: [IncidentDto] }) items: IncidentDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class ListIncidentsQueryDto extends RecordedPeriodQueryDto {
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES })
  @IsOptional()
  @IsIn(INCIDENT_STATUSES, { message: `status must be one of ${INCIDENT_STATUSES.join(', ')}` })
  status?: IncidentStatus;
}

export class ResolveIncidentDto {
  @ApiProperty({ enum: INCIDENT_DECISIONS, description: 'accepted: a correction line on the site’s next statement; rejected: not paid' })
  @IsIn(INCIDENT_DECISIONS, { message: `decision must be one of ${INCIDENT_DECISIONS.join(', ')}` })
  decision: IncidentDecision;

  @ApiProperty({
    enum: INCIDENT_RESOLUTION_REASONS,
    description: `accepted: ${INCIDENT_ACCEPT_REASONS.join(', ')}; rejected: ${INCIDENT_REJECT_REASONS.join(', ')}`,
  })
  @IsIn(INCIDENT_RESOLUTION_REASONS, { message: `reasonCode must be one of ${INCIDENT_RESOLUTION_REASONS.join(', ')}` })
  reasonCode: string;
}
