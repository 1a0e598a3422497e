import { Module } from '@nestjs/common';
import { ReportingModule } from '../reporting.module';
import { ReportDeliveryProcessor } from './report-delivery.processor';

/** The report delivery queue's processor (and the scheduler rebuild at start); only in processes that run workers. */
@Module({ imports: [ReportingModule], providers: [ReportDeliveryProcessor] })
export class ReportDeliveryWorkerModule {}
