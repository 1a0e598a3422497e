import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { SupplierUpdateAnswerDto, SupplierUpdateDto } from './dto/escalation.dto';
import { SupplierSignatureGuard, type SignedSupplierRequest } from './supplier-signature.guard';
import { SupplierUpdates } from './supplier-updates.service';

/** Suppliers' signed updates on their escalations (no bearer token: the signature is the credential). */
@ApiTags('escalation')
@Controller('suppliers')
export class SupplierWebhookController {
  constructor(private readonly updates: SupplierUpdates) {}

  @Post(':code/updates')
  @Public()
  @HttpCode(200)
  @UseGuards(SupplierSignatureGuard)
  @ApiOperation({ summary: "A supplier's update on an escalation (signed)" })
  @ApiHeader({ name: 'X-RoseDesk-Timestamp', description: 'Unix seconds; within 5 minutes of ours' })
  @ApiHeader({
    name: 'X-RoseDesk-Signature',
    description: 'sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: SupplierUpdateAnswerDto })
  update(
    @Req() req: SignedSupplierRequest,
    @Body() dto: SupplierUpdateDto,
  ): Promise<SupplierUpdateAnswerDto> {
    const supplier = req.supplier as NonNullable<SignedSupplierRequest['supplier']>;
    return this.updates.apply(supplier, dto, { kind: 'system', name: supplier.name }, req.updateKey ?? null);
  }
}
