import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogueService } from './catalogue.service';
import {
  ServicesController,
  SiteClassesController,
  SuppliersController,
  TrustsController,
} from './catalogue.controller';
import { Contact } from './contact.entity';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';
import { Service } from './service.entity';
import { SiteClass } from './site-class.entity';
import { SitePhoneNumber } from './site-phone-number.entity';
import { Site } from './site.entity';
import { SitesController } from './sites.controller';
import { SitesService } from './sites.service';
import { Supplier } from './supplier.entity';
import { Trust } from './trust.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Trust, SiteClass, Site, SitePhoneNumber, Supplier, Service, Contact])],
  controllers: [
    TrustsController,
    SitesController,
    ServicesController,
    SuppliersController,
    SiteClassesController,
    ContactsController,
  ],
  providers: [CatalogueService, SitesService, ContactsService],
  exports: [CatalogueService, SitesService, ContactsService],
})
export class DirectoryModule {}
