import { Body, Controller, Delete, Get, Header, HttpStatus, Inject, Param, Put, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminOnly, CurrentScope, ErrorResponseDto, Staff } from '@ledgerport/server/access';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import type { FirmScope } from '@ledgerport/server/db';
import { AppException } from '@ledgerport/server/errors';
import { BrandingService } from './branding.service';
import { BrandingDto, UpdateBrandingDto } from './dto/branding.dto';
import { SignInOptionsDto } from './dto/portal.dto';

@ApiTags('branding')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED, ACCENT_COLOR_UNREADABLE (details: contrast, minimum)' })
@Controller('api/v1')
export class BrandingController {
  constructor(
    private readonly branding: BrandingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('firm/branding')
  @Staff()
  @ApiOperation({ summary: "The firm's client-portal branding" })
  @ApiOkResponse({ type: BrandingDto })
  get(@CurrentScope() scope: FirmScope): Promise<BrandingDto> {
    return this.branding.get(scope);
  }

  @Put('firm/branding')
  @AdminOnly()
  @ApiOperation({ summary: 'Set the portal name and accent colour (null restores the default); unreadable colours are refused' })
  @ApiOkResponse({ type: BrandingDto })
  update(@CurrentScope() scope: FirmScope, @Body() dto: UpdateBrandingDto): Promise<BrandingDto> {
    return this.branding.update(scope, dto);
  }

  @Put('firm/branding/logo')
  @AdminOnly()
  @ApiOperation({ summary: 'Upload the portal logo as the raw request body (PNG, JPEG or WebP, at most 512 KB)' })
  @ApiConsumes('image/png', 'image/jpeg', 'image/webp')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: BrandingDto })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'LOGO_TYPE_NOT_ALLOWED' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'LOGO_TOO_LARGE' })
  setLogo(@CurrentScope() scope: FirmScope, @Req() req: FastifyRequest): Promise<BrandingDto> {
    return this.branding.setLogo(scope, req.headers['content-type'], req.body);
  }

  @Delete('firm/branding/logo')
  @AdminOnly()
  @ApiOperation({ summary: 'Remove the portal logo' })
  @ApiOkResponse({ type: BrandingDto })
  removeLogo(@CurrentScope() scope: FirmScope): Promise<BrandingDto> {
    return this.branding.removeLogo(scope);
  }

  @Get('public/firms/:slug/logo')
  @ApiOperation({ summary: "An approved firm's portal logo (public: it is shown on the sign-in page and in emails)" })
  @ApiOkResponse({
    description: 'The image',
    content: Object.fromEntries(['image/png', 'image/jpeg', 'image/webp'].map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'LOGO_NOT_FOUND' })
  async logo(@Param('slug') slug: string, @Res() reply: FastifyReply): Promise<void> {
    const logo = /^[a-z0-9-]{1,64}$/i.test(slug) ? await this.branding.publicLogo(slug) : null;
    if (!logo) throw new AppException(HttpStatus.NOT_FOUND, 'LOGO_NOT_FOUND', 'This firm has no logo.');
    await reply
      .header('content-type', logo.type)
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .send(logo.bytes);
  }

  @Get('public/sign-in-options')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Which sign-in methods are offered (the console sign-in page shows Google only when configured)' })
  @ApiOkResponse({ type: SignInOptionsDto })
  options(): SignInOptionsDto {
    return { googleSignIn: this.config.googleEnabled };
  }
}
