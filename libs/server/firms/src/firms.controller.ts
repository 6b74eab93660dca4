import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentScope, ErrorResponseDto, Staff } from '@ledgerport/server/access';
import type { FirmScope } from '@ledgerport/server/db';
import {
  FirmApplicationDto,
  FirmApplicationResultDto,
  FirmDto,
  OperatorFirmDto,
  OperatorFirmListDto,
  OperatorFirmQuery,
  PublicFirmDto,
} from './dto/firms.dto';
import { FirmsService, toOperatorDto } from './firms.service';
import { OperatorGuard } from './operator.guard';

@ApiTags('firms')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@Controller('api/v1')
export class FirmsController {
  constructor(private readonly firms: FirmsService) {}

  @Post('firm-applications')
  @ApiOperation({ summary: 'Apply to run a firm on Ledgerport (public); the firm stays pending until approved' })
  @ApiCreatedResponse({ type: FirmApplicationResultDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'EMAIL_ALREADY_REGISTERED' })
  async apply(@Body() dto: FirmApplicationDto): Promise<FirmApplicationResultDto> {
    const firm = await this.firms.apply(dto);
    return { id: firm.id, firmName: firm.name, status: 'pending' };
  }

  @Get('public/firms/:slug')
  @ApiOperation({ summary: "An approved firm's public face, for its client portal sign-in page" })
  @ApiOkResponse({ type: PublicFirmDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'FIRM_NOT_FOUND' })
  publicFirm(@Param('slug') slug: string): Promise<PublicFirmDto> {
    return this.firms.publicFirm(slug);
  }

  @Get('firm')
  @Staff()
  @ApiOperation({ summary: "The signed-in person's firm" })
  @ApiOkResponse({ type: FirmDto })
  current(@CurrentScope() scope: FirmScope): Promise<FirmDto> {
    return this.firms.current(scope.firmId);
  }
}

@ApiTags('operator')
@ApiBearerAuth('operator')
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'OPERATOR_UNAUTHORIZED' })
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@UseGuards(OperatorGuard)
@Controller('api/v1/operator/firms')
export class OperatorController {
  constructor(private readonly firms: FirmsService) {}

  @Get()
  @ApiOperation({ summary: 'Firms and applications (platform operator)' })
  @ApiOkResponse({ type: OperatorFirmListDto })
  async list(@Query() q: OperatorFirmQuery): Promise<OperatorFirmListDto> {
    return { items: await this.firms.listForOperator(q.status) };
  }

  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Approve a firm; its applicant becomes the first admin and gets an invitation email" })
  @ApiOkResponse({ type: OperatorFirmDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'FIRM_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'FIRM_ALREADY_APPROVED or EMAIL_ALREADY_REGISTERED' })
  async approve(@Param('id') id: string): Promise<OperatorFirmDto> {
    return toOperatorDto(await this.firms.approve(id, 'Platform operator'));
  }
}
