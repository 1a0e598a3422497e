import { ApiProperty } from '@nestjs/swagger';

export class PackVersionDto {
  @ApiProperty() version: number;
  @ApiProperty({ description: 'sha256 (hex) of the figures and the CSV' }) hash: string;
  @ApiProperty({ example: '24x7@1,gp_core@3,office@1;policies@12' }) configVersion: string;
  @ApiProperty() frozenAt: string;
  @ApiProperty({ description: "'system' for the automatic freeze, else who issued it" }) frozenBy: string;
}

export class FigureChangeDto {
  @ApiProperty({ example: 'clockHolders.desk' }) path: string;
  @ApiProperty({ description: 'The value in the latest version' }) frozen: unknown;
  @ApiProperty({ description: 'The value computed now' }) now: unknown;
}

export class PackCurrentDto {
  @ApiProperty() hash: string;
  @ApiProperty() configVersion: string;
  @ApiProperty({ description: 'True when the report computed now differs from the latest version' })
  differs: boolean;
  @ApiProperty({ type: [FigureChangeDto] }) changes: FigureChangeDto[];
}

export class PackComparisonDto {
  @ApiProperty() trust: string;
  @ApiProperty({ example: '2026-10' }) month: string;
  @ApiProperty({ type: [PackVersionDto], description: 'Newest first' }) versions: PackVersionDto[];
  @ApiProperty({ type: PackCurrentDto }) current: PackCurrentDto;
}
