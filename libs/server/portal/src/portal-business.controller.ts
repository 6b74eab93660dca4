import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponseDto, uuidPipe } from '@ledgerport/server/access';
import type { ContactPrincipal } from './contact-session.store';
import { Contact, CurrentContact } from './contact.guard';
import { FirmAccessDto, FirmAccessListDto, FirmDirectoryDto, FirmDirectoryQuery, GrantFirmAccessDto } from './dto/portal.dto';
import { FirmAccessService } from './firm-access.service';

@ApiTags('portal')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@Contact()
@Controller('api/v1/portal')
export class PortalBusinessController {
  constructor(private readonly access: FirmAccessService) {}

  @Get('firm-directory')
  @ApiOperation({ summary: 'Approved firms whose name matches, to give one access (at most 10)' })
  @ApiOkResponse({ type: FirmDirectoryDto })
  async directory(@Query() q: FirmDirectoryQuery): Promise<FirmDirectoryDto> {
    return { items: await this.access.directory(q.q) };
  }

  @Get('businesses/:businessId/firm-access')
  @ApiOperation({ summary: 'The firms that have access to this business (owners only)' })
  @ApiOkResponse({ type: FirmAccessListDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'OWNER_ONLY' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'BUSINESS_NOT_FOUND' })
  async list(@CurrentContact() p: ContactPrincipal, @Param('businessId', uuidPipe) businessId: string): Promise<FirmAccessListDto> {
    return { items: await this.access.list(p, businessId) };
  }

  @Post('businesses/:businessId/firm-access')
  @ApiOperation({ summary: 'Give a firm access to this business: it becomes one of the firm’s clients, and its admins are emailed' })
  @ApiCreatedResponse({ type: FirmAccessDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'OWNER_ONLY' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'BUSINESS_NOT_FOUND or FIRM_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'FIRM_ALREADY_HAS_ACCESS' })
  grant(
    @CurrentContact() p: ContactPrincipal,
    @Param('businessId', uuidPipe) businessId: string,
    @Body() dto: GrantFirmAccessDto,
  ): Promise<FirmAccessDto> {
    return this.access.grant(p, businessId, dto.firmId);
  }

  @Delete('businesses/:businessId/firm-access/:firmId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Take a firm’s access away; the business leaves its client list and its admins are emailed' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'OWNER_ONLY' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'BUSINESS_NOT_FOUND or ACCESS_NOT_FOUND' })
  async revoke(
    @CurrentContact() p: ContactPrincipal,
    @Param('businessId', uuidPipe) businessId: string,
    @Param('firmId', uuidPipe) firmId: string,
  ): Promise<void> {
    await this.access.revoke(p, businessId, firmId);
  }
}
