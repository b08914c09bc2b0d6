import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject } from 'class-validator';
import { IncidentDto } from '../../incidents/dto/incident.dto';
import { BatchItemDto, MAX_BATCH_ITEMS, RedemptionDto } from '../../redemptions/dto/redemption.dto';

/**
 * The envelope of an offline batch. Only the envelope is validated by the global pipe (an array of
 * 1-500 objects); each item is validated on its own by the batch service, so one malformed scan is
 * one `refused` result rather than a refused batch. An item without a valid idempotency key refuses
 * the whole batch (400): its result could not be matched to the scan, nor safely retried.
 */
export class RedemptionBatchDto {
  @ApiProperty({ type: [BatchItemDto], minItems: 1, maxItems: MAX_BATCH_ITEMS, description: 'Captured scans, in capture order' })
  @IsArray({ message: 'items must be an array of scans' })
  @ArrayMinSize(1, { message: 'items must hold at least one scan' })
  @ArrayMaxSize(MAX_BATCH_ITEMS, { message: `items holds at most ${MAX_BATCH_ITEMS} scans: split the batch` })
  @IsObject({ each: true, message: 'each item of items must be an object' })
  items: unknown[];
}

export const BATCH_OUTCOMES = ['redeemed', 'incident', 'refused'] as const;
export type BatchOutcome = (typeof BATCH_OUTCOMES)[number];

export class BatchProblemDto {
  @ApiProperty({ example: 'UNKNOWN_CODE', description: 'The reason code a single redemption would get (or VALIDATION_FAILED)' })
  code: string;

  @ApiProperty({ description: 'The reason in plain words (English)' })
  detail: string;

  @ApiPropertyOptional({ example: 'vouchers[0].code', description: 'The input the problem is about' })
  field?: string;
}

export class BatchItemResultDto {
  @ApiProperty() idempotencyKey: string;

  @ApiProperty({
    enum: BATCH_OUTCOMES,
    description: 'redeemed: a redemption; incident: recorded for the operator; refused: nothing recorded',
  })
  outcome: BatchOutcome;

  @ApiPropertyOptional({ type: RedemptionDto }) redemption?: RedemptionDto;
  @ApiPropertyOptional({ type: IncidentDto }) incident?: IncidentDto;

  @ApiPropertyOptional({ type: BatchProblemDto, description: 'Why it is an incident or was refused' })
  problem?: BatchProblemDto;
}

export class BatchSummaryDto {
  @ApiProperty() redeemed: number;
  @ApiProperty() incidents: number;
  @ApiProperty() refused: number;
}

export class BatchResultDto {
  @ApiProperty({ type: [BatchItemResultDto], description: 'One result per scan, in request order' })
  items: BatchItemResultDto[];

  @ApiProperty({ type: BatchSummaryDto }) summary: BatchSummaryDto;
}
