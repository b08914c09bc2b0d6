import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuditError, AuditProofsService, AuditViewer } from '@sillage/audit';
import { Allow, CurrentPrincipal, isOperator, ParseIdPipe, Principal, Public } from '@sillage/identity';
import { AuditBundleFileDto } from './dto/audit-bundle-file.dto';
import { AuditBundleQueryDto } from './dto/audit-bundle.query.dto';
import { AuditCheckpointDto } from './dto/audit-checkpoint.dto';
import { AuditConsistencyProofDto } from './dto/audit-consistency-proof.dto';
import { AuditConsistencyQueryDto } from './dto/audit-consistency.query.dto';
import { AuditEventPageDto } from './dto/audit-event-page.dto';
import { AuditEventsQueryDto } from './dto/audit-events.query.dto';
import { AuditInclusionProofDto } from './dto/audit-inclusion-proof.dto';
import { AuditKeyDto } from './dto/audit-key.dto';
import { AuditProofQueryDto } from './dto/audit-proof.query.dto';

const viewerOf = (p: Principal): AuditViewer => ({ operator: isOperator(p), organisationId: p.organisationId });

function parseTreeSize(raw: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new AuditError('TREE_SIZE_INVALID', 'treeSize must be a positive integer', { field: 'treeSize' });
  }
  return Number(raw);
}

/**
 * The audit trail's public face. Checkpoints, keys and consistency proofs reveal only hashes and
 * sizes: they are public, so anyone can hold the platform to a checkpoint. Events and inclusion
 * proofs carry event contents: operators see all, everyone else the events their organisation made.
 */
@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditProofsService) {}

  @Get('keys')
  @Public()
  @ApiOperation({ summary: 'Public keys that sign checkpoints (public)' })
  @ApiOkResponse({ type: [AuditKeyDto] })
  keys() {
    return this.audit.keys();
  }

  @Get('checkpoints/latest')
  @Public()
  @ApiOperation({ summary: 'The latest signed checkpoint (public)' })
  @ApiOkResponse({ type: AuditCheckpointDto })
  latest() {
    return this.audit.latestCheckpoint();
  }

  @Get('checkpoints/:treeSize')
  @Public()
  @ApiOperation({ summary: 'The signed checkpoint of one tree size (public)' })
  @ApiParam({ name: 'treeSize', type: Number })
  @ApiOkResponse({ type: AuditCheckpointDto })
  checkpoint(@Param('treeSize') treeSize: string) {
    return this.audit.checkpoint(parseTreeSize(treeSize));
  }

  @Get('consistency')
  @Public()
  @ApiOperation({ summary: 'RFC 6962 consistency proof between two checkpoints (public)' })
  @ApiOkResponse({ type: AuditConsistencyProofDto })
  consistency(@Query() query: AuditConsistencyQueryDto) {
    return this.audit.consistencyProof(query.from, query.to);
  }

  @Get('events')
  @ApiBearerAuth()
  @Allow({ apiKeys: true })
  @ApiOperation({ summary: 'Audit events about a subject: all for the operator, those made by the caller’s organisation otherwise' })
  @ApiOkResponse({ type: AuditEventPageDto })
  events(@CurrentPrincipal() principal: Principal, @Query() query: AuditEventsQueryDto) {
    return this.audit.events(viewerOf(principal), {
      subjectType: query.subjectType,
      subjectId: query.subjectId,
      cursor: query.cursor,
      limit: query.limit ?? 20,
    });
  }

  @Get('events/:id/proof')
  @ApiBearerAuth()
  @Allow({ apiKeys: true })
  @ApiOperation({ summary: 'Inclusion proof of one event against a checkpoint (default: the latest)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AuditInclusionProofDto })
  proof(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('audit event')) id: string,
    @Query() query: AuditProofQueryDto,
  ) {
    return this.audit.inclusionProof(viewerOf(principal), id, query.treeSize);
  }

  @Get('bundle')
  @ApiBearerAuth()
  @Allow({ apiKeys: true })
  @ApiOperation({ summary: 'Offline-verifiable bundle: a subject’s sealed events, their proofs, the latest checkpoint and its key' })
  @ApiOkResponse({ type: AuditBundleFileDto })
  bundle(@CurrentPrincipal() principal: Principal, @Query() query: AuditBundleQueryDto) {
    return this.audit.bundle(viewerOf(principal), query.subjectType, query.subjectId);
  }
}
