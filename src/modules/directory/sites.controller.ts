import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '../../common/http/pagination';
import { Roles } from '../auth/auth.decorators';
import { CreateSiteDto, SiteDto, SiteQueryDto, UpdateSiteDto } from './dto/site.dto';
import { SitesService } from './sites.service';

@ApiTags('directory')
@ApiBearerAuth()
@Controller('api/sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Get()
  @ApiOperation({ summary: 'List sites (filter by trust code, class, or a search on name, town or code)' })
  list(@Query() query: SiteQueryDto): Promise<Page<SiteDto>> {
    return this.sites.list(query);
  }

  @Get(':code')
  @ApiOperation({ summary: 'One site by its code' })
  @ApiOkResponse({ type: SiteDto })
  get(@Param('code') code: string): Promise<SiteDto> {
    return this.sites.get(code);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add a site (admin)' })
  @ApiCreatedResponse({ type: SiteDto })
  create(@Body() dto: CreateSiteDto): Promise<SiteDto> {
    return this.sites.create(dto);
  }

  @Patch(':code')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a site (admin)' })
  @ApiOkResponse({ type: SiteDto })
  update(@Param('code') code: string, @Body() dto: UpdateSiteDto): Promise<SiteDto> {
    return this.sites.update(code, dto);
  }
}
