import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '../../common/http/pagination';
import { Roles } from '../auth/auth.decorators';
import { ContactsService } from './contacts.service';
import { ContactDto, ContactQueryDto, CreateContactDto, UpdateContactDto } from './dto/contact.dto';
import { UuidPipe } from '../../common/http/ids';

/** Contacts are personal data: the desk's own staff only. */
@ApiTags('directory')
@ApiBearerAuth()
@Roles('agent', 'desk_manager', 'admin')
@Controller('api/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get()
  @ApiOperation({ summary: 'Find contacts by name, email or phone' })
  list(@Query() query: ContactQueryDto): Promise<Page<ContactDto>> {
    return this.contacts.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One contact' })
  @ApiOkResponse({ type: ContactDto })
  get(@Param('id', UuidPipe) id: string): Promise<ContactDto> {
    return this.contacts.get(id);
  }

  @Post()
  @ApiOperation({ summary: 'Add a contact' })
  @ApiCreatedResponse({ type: ContactDto })
  create(@Body() dto: CreateContactDto): Promise<ContactDto> {
    return this.contacts.create(dto);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a contact' })
  @ApiOkResponse({ type: ContactDto })
  update(@Param('id', UuidPipe) id: string, @Body() dto: UpdateContactDto): Promise<ContactDto> {
    return this.contacts.update(id, dto);
  }
}
