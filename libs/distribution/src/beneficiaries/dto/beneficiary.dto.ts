import { ApiProperty } from '@nestjs/swagger';

/** Sealed records opened for the reader, by field (e.g. `contact`), each with the consent that covers it. */
const RECORDS_SCHEMA = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: {
      record: { type: 'object', nullable: true, additionalProperties: true, description: 'The record’s content (null when unreadable)' },
      consent: { type: 'object', additionalProperties: true, description: 'Purpose, text version and date of the consent' },
    },
  },
  example: { contact: { record: { email: 'c.dupont@example.fr' }, consent: { purpose: 'contact', textVersion: 'desk-contact-v1-fr' } } },
} as const;

export class BeneficiaryHandoverDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'SLG-2026-000123' }) bookletSerial: string;
  @ApiProperty({ example: '2026-11-28' }) handedOn: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) returnedAt: string | null;
}

export class BeneficiaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '26_44' }) ageBand: string;
  @ApiProperty({ example: '69123' }) communeCode: string;
  @ApiProperty({ nullable: true, type: String }) publicCategoryCode: string | null;
  @ApiProperty({ description: 'True once the person was erased: records gone, counts kept' }) erased: boolean;
  @ApiProperty(RECORDS_SCHEMA) records: Record<string, unknown>;
  @ApiProperty({ type: [BeneficiaryHandoverDto] }) handovers: BeneficiaryHandoverDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class BeneficiaryExportDto {
  @ApiProperty({ format: 'date-time' }) exportedAt: string;
  @ApiProperty() erased: boolean;
  @ApiProperty(RECORDS_SCHEMA) openedRecords: Record<string, unknown>;
  @ApiProperty({
    description: 'Every stored row about the person, by table (bytes as base64)',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'object', additionalProperties: true } },
  })
  tables: Record<string, Record<string, unknown>[]>;
}

export class PersonalDataReadDto {
  @ApiProperty({ enum: ['user', 'api_key'] }) actorType: string;
  @ApiProperty({ format: 'uuid' }) actorId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organisationId: string | null;
  @ApiProperty({ example: 'profile+records' }) what: string;
  @ApiProperty({ example: 'data_subject_request' }) purpose: string;
  @ApiProperty({ format: 'date-time' }) accessedAt: string;
}

export class PersonalDataReadsDto {
  @ApiProperty({ type: [PersonalDataReadDto] }) items: PersonalDataReadDto[];
}

export class ConsentWithdrawnDto {
  @ApiProperty({ description: 'True when a record existed and was deleted' }) deleted: boolean;
}

export class BeneficiaryErasedDto {
  @ApiProperty({ description: 'True: the data key is destroyed and the records deleted' }) erased: boolean;
}
