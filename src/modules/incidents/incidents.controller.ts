import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../common/errors/domain-error';
import { isBigintId, UuidPipe } from '../../common/http/ids';
import { PageQueryDto, type Page } from '../../common/http/pagination';
import { validationFailed } from '../../common/http/validation';
import { AttachmentsService, type AttachmentView } from '../attachments/attachments.service';
import type { MultipartForm } from '../attachments/multipart-form';
import { UploadedForm, UploadInterceptor } from '../attachments/upload.interceptor';
import type { Actor } from '../audit/actor';
import { AuditService, type AuditView } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { CreateIncidentDto } from './dto/create-incident.dto';
import { AssignDto, CommentDto, TransitionDto } from './dto/incident-actions.dto';
import { IncidentQueryDto } from './dto/incident-query.dto';
import { AuditEntryDto, IncidentDto, TimelineEntryDto, type IncidentView } from './dto/incident.dto';
import { UpdateIncidentDto } from './dto/update-incident.dto';
import { DESK_ROLES, READER_ROLES } from '../users/domain/roles';
import { visibleEventKinds } from './incident-access';
import { IdempotencyKeys } from './create/idempotency-keys';
import type { NewIncident } from './create/new-incident';
import { IncidentQueries } from './incident-queries.service';
import { IncidentWorkflow } from './incident-workflow.service';
import { IncidentsService } from './incidents.service';

const asActor = (user: AuthUser): Actor => ({ kind: 'user', user, name: user.name });

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('api/incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly workflow: IncidentWorkflow,
    private readonly queries: IncidentQueries,
    private readonly attachments: AttachmentsService,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyKeys,
  ) {}

  @Post()
  @Roles(...DESK_ROLES)
  @ApiOperation({
    summary: 'Log an incident (priority from impact x urgency unless overridden with a reason)',
  })
  @ApiCreatedResponse({ type: IncidentDto })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Up to 255 visible ASCII characters. The same key with the same body within 24 hours answers the first ' +
      "create's 201 again and creates nothing; with another body, 409 INCIDENT.IDEMPOTENCY_KEY_REUSED.",
  })
  @ApiUnprocessableEntityResponse({ description: 'Unknown siteCode or service (the field is named)' })
  @ApiConflictResponse({ description: 'The Idempotency-Key was used with another body' })
  async create(
    @Body() dto: CreateIncidentDto,
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<IncidentView> {
    const { reportedAt, service, ...rest } = dto;
    const input: NewIncident = {
      ...rest,
      serviceCode: service,
      channel: 'api',
      reportedAt: reportedAt ? new Date(reportedAt) : undefined,
    };
    if (idempotencyKey === undefined) return (await this.incidents.create(input, asActor(user))).incident;
    return this.idempotency.create(
      user.id,
      idempotencyKey,
      dto,
      (hooks) => this.incidents.create(input, asActor(user), hooks),
      (id) => this.queries.present(id),
    );
  }

  @Get()
  @Roles(...READER_ROLES)
  @ApiOperation({
    summary: 'List and search incidents you can see (filters, full-text `q`, keyset pagination)',
  })
  list(@Query() query: IncidentQueryDto, @CurrentUser() user: AuthUser): Promise<Page<IncidentView>> {
    return this.queries.list(query, user);
  }

  @Get(':reference')
  @Roles(...READER_ROLES)
  @ApiOperation({ summary: 'One incident by reference' })
  @ApiOkResponse({ type: IncidentDto })
  @ApiNotFoundResponse({ description: 'No such incident, or not one you can see' })
  get(@Param('reference') reference: string, @CurrentUser() user: AuthUser): Promise<IncidentView> {
    return this.queries.get(reference, user);
  }

  @Patch(':reference')
  @Roles(...DESK_ROLES)
  @ApiOperation({ summary: 'Change summary, description, site, service, impact, urgency or priority' })
  @ApiOkResponse({ type: IncidentDto })
  update(
    @Param('reference') reference: string,
    @Body() dto: UpdateIncidentDto,
    @CurrentUser() user: AuthUser,
  ): Promise<IncidentView> {
    return this.incidents.update(reference, dto, asActor(user));
  }

  @Post(':reference/transitions')
  @Roles(...DESK_ROLES)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move the incident to another status (resolving needs a resolution code and notes)',
  })
  @ApiOkResponse({ type: IncidentDto })
  @ApiConflictResponse({ description: 'Not allowed from the current status; `allowed` lists what is' })
  transition(
    @Param('reference') reference: string,
    @Body() dto: TransitionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<IncidentView> {
    return this.workflow.transition(reference, dto, asActor(user));
  }

  @Post(':reference/assign')
  @Roles(...DESK_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign to a desk user, or unassign with null' })
  @ApiOkResponse({ type: IncidentDto })
  assign(
    @Param('reference') reference: string,
    @Body() dto: AssignDto,
    @CurrentUser() user: AuthUser,
  ): Promise<IncidentView> {
    return this.workflow.assign(reference, dto.assigneeId, asActor(user));
  }

  @Post(':reference/replies')
  @Roles(...READER_ROLES)
  @ApiOperation({ summary: 'Add a public reply (emailed to the reporter when written by the desk)' })
  @ApiCreatedResponse({ type: TimelineEntryDto })
  async reply(
    @Param('reference') reference: string,
    @Body() dto: CommentDto,
    @CurrentUser() user: AuthUser,
  ): Promise<TimelineEntryDto> {
    const incident = await this.queries.findVisible(reference, user);
    return this.workflow.comment(incident, 'public_reply', dto.body, asActor(user));
  }

  @Post(':reference/notes')
  @Roles(...DESK_ROLES)
  @ApiOperation({ summary: 'Add an internal note (the desk only)' })
  @ApiCreatedResponse({ type: TimelineEntryDto })
  async note(
    @Param('reference') reference: string,
    @Body() dto: CommentDto,
    @CurrentUser() user: AuthUser,
  ): Promise<TimelineEntryDto> {
    const incident = await this.queries.findVisible(reference, user);
    return this.workflow.comment(incident, 'internal_note', dto.body, asActor(user));
  }

  @Get(':reference/timeline')
  @Roles(...READER_ROLES)
  @ApiOperation({ summary: 'Replies, notes (desk only) and system events, oldest first' })
  async timeline(
    @Param('reference') reference: string,
    @Query() page: PageQueryDto,
    @CurrentUser() user: AuthUser,
  ): Promise<Page<TimelineEntryDto>> {
    const incident = await this.queries.findVisible(reference, user);
    return this.queries.timeline(incident, user, page.limit ?? 200, page.cursor);
  }

  @Get(':reference/audit')
  @Roles(...DESK_ROLES)
  @ApiOperation({ summary: 'Who changed what and when (append-only)' })
  @ApiOkResponse({ type: [AuditEntryDto] })
  async auditLog(
    @Param('reference') reference: string,
    @Query() page: PageQueryDto,
    @CurrentUser() user: AuthUser,
  ): Promise<Page<AuditView>> {
    const incident = await this.queries.findVisible(reference, user);
    return this.audit.list('incident', incident.id, page.limit ?? 200, page.cursor);
  }

  @Post(':reference/attachments')
  @Roles(...DESK_ROLES)
  @UseInterceptors(UploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary' }, eventId: { type: 'string' } },
      required: ['file'],
    },
  })
  @ApiOperation({ summary: 'Attach a file (content type sniffed from the bytes)' })
  @ApiPayloadTooLargeResponse({
    description: 'Over the per-file or per-incident limit (the limit is in the message)',
  })
  async attach(
    @Param('reference') reference: string,
    @UploadedForm() form: MultipartForm,
    @CurrentUser() user: AuthUser,
  ): Promise<AttachmentView> {
    if (!form.file)
      throw new DomainError(
        'ATTACHMENT.MISSING_FILE',
        'file: attach the file as the multipart field "file".',
        { field: 'file' },
      );
    const eventId = form.fields.eventId || null;
    if (eventId !== null && !isBigintId(eventId))
      throw validationFailed([{ field: 'eventId', reasons: ['must be the id of a timeline event'] }]);
    const incident = await this.queries.findVisible(reference, user);
    return this.attachments.add(incident.id, form.file, asActor(user), eventId);
  }

  @Get(':reference/attachments')
  @Roles(...READER_ROLES)
  @ApiOperation({ summary: "The incident's attachments" })
  async listAttachments(
    @Param('reference') reference: string,
    @CurrentUser() user: AuthUser,
  ): Promise<Page<AttachmentView>> {
    const incident = await this.queries.findVisible(reference, user);
    return { items: await this.attachments.list(incident.id, visibleEventKinds(user)), nextCursor: null };
  }

  @Get(':reference/attachments/:id')
  @Roles(...READER_ROLES)
  @ApiOperation({ summary: 'Download an attachment (always as a download, with its sniffed type)' })
  async download(
    @Param('reference') reference: string,
    @Param('id', UuidPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const incident = await this.queries.findVisible(reference, user);
    const { view, data } = await this.attachments.content(incident.id, id, visibleEventKinds(user));
    await reply
      .header('Content-Type', view.contentType)
      .header('Content-Disposition', contentDisposition(view.filename))
      .header('X-Content-Type-Options', 'nosniff')
      .send(data);
  }
}

/** RFC 6266: an ASCII fallback plus the UTF-8 name. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
