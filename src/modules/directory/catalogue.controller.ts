import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '../../common/http/pagination';
import { Roles } from '../auth/auth.decorators';
import { CatalogueService } from './catalogue.service';
import {
  CreateServiceDto,
  CreateSupplierDto,
  ServiceDto,
  SiteClassDto,
  SupplierDto,
  UpdateServiceDto,
  UpdateSiteClassDto,
  UpdateSupplierDto,
} from './dto/catalogue.dto';
import { CreateTrustDto, TrustDto, UpdateTrustDto } from './dto/trust.dto';

/** Reference lists are short; each answers the whole list as one page. */
const onePage = async <T>(items: Promise<T[]>): Promise<Page<T>> => ({
  items: await items,
  nextCursor: null,
});

@ApiTags('directory')
@ApiBearerAuth()
@Controller('api/trusts')
export class TrustsController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @ApiOperation({ summary: "List the partnership's trusts" })
  list(): Promise<Page<TrustDto>> {
    return onePage(this.catalogue.listTrusts());
  }

  @Get(':code')
  @ApiOperation({ summary: 'One trust' })
  @ApiOkResponse({ type: TrustDto })
  get(@Param('code') code: string): Promise<TrustDto> {
    return this.catalogue.getTrust(code);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add a trust (admin)' })
  @ApiCreatedResponse({ type: TrustDto })
  create(@Body() dto: CreateTrustDto): Promise<TrustDto> {
    return this.catalogue.createTrust(dto);
  }

  @Patch(':code')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a trust (admin)' })
  @ApiOkResponse({ type: TrustDto })
  update(@Param('code') code: string, @Body() dto: UpdateTrustDto): Promise<TrustDto> {
    return this.catalogue.updateTrust(code, dto);
  }
}

@ApiTags('directory')
@ApiBearerAuth()
@Controller('api/suppliers')
export class SuppliersController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @ApiOperation({ summary: 'List suppliers' })
  list(): Promise<Page<SupplierDto>> {
    return onePage(this.catalogue.listSuppliers());
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add a supplier (admin)' })
  @ApiCreatedResponse({ type: SupplierDto })
  create(@Body() dto: CreateSupplierDto): Promise<SupplierDto> {
    return this.catalogue.createSupplier(dto);
  }

  @Patch(':code')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a supplier (admin)' })
  @ApiOkResponse({ type: SupplierDto })
  update(@Param('code') code: string, @Body() dto: UpdateSupplierDto): Promise<SupplierDto> {
    return this.catalogue.updateSupplier(code, dto);
  }
}

@ApiTags('directory')
@ApiBearerAuth()
@Controller('api/services')
export class ServicesController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @ApiOperation({ summary: 'The service catalogue' })
  list(): Promise<Page<ServiceDto>> {
    return onePage(this.catalogue.listServices());
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add a service (admin)' })
  @ApiCreatedResponse({ type: ServiceDto })
  create(@Body() dto: CreateServiceDto): Promise<ServiceDto> {
    return this.catalogue.createService(dto);
  }

  @Patch(':code')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a service (admin)' })
  @ApiOkResponse({ type: ServiceDto })
  update(@Param('code') code: string, @Body() dto: UpdateServiceDto): Promise<ServiceDto> {
    return this.catalogue.updateService(code, dto);
  }
}

@ApiTags('directory')
@ApiBearerAuth()
@Controller('api/site-classes')
export class SiteClassesController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @ApiOperation({ summary: 'Site classes and the calendar each one runs on' })
  list(): Promise<Page<SiteClassDto>> {
    return onePage(this.catalogue.listSiteClasses());
  }

  @Patch(':code')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a site class (admin)' })
  @ApiOkResponse({ type: SiteClassDto })
  update(@Param('code') code: string, @Body() dto: UpdateSiteClassDto): Promise<SiteClassDto> {
    return this.catalogue.updateSiteClass(code, dto);
  }
}
