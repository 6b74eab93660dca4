import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentScope, ErrorResponseDto, Staff, uuidPipe } from '@ledgerport/server/access';
import type { FirmScope } from '@ledgerport/server/db';
import { ContactsService } from './contacts.service';
import { ContactDto, ContactListDto, InviteContactDto, UpdateContactDto } from './dto/contacts.dto';

@ApiTags('contacts')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND or CONTACT_NOT_FOUND (also for clients of another firm or not assigned to you)' })
@Staff()
@Controller('api/v1/clients/:clientId/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get()
  @ApiOperation({ summary: "The client's portal users" })
  @ApiOkResponse({ type: ContactListDto })
  async list(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string): Promise<ContactListDto> {
    return { items: await this.contacts.list(scope, clientId) };
  }

  @Post()
  @ApiOperation({ summary: 'Invite a person at the client to its portal; they get an email with a sign-in link (7 days)' })
  @ApiCreatedResponse({ type: ContactDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CONTACT_ALREADY_ADDED or CLIENT_NOT_ACTIVE' })
  invite(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string, @Body() dto: InviteContactDto): Promise<ContactDto> {
    return this.contacts.invite(scope, clientId, dto);
  }

  @Patch(':contactId')
  @ApiOperation({ summary: "Edit a portal user's name, title, role, or make them the primary contact" })
  @ApiOkResponse({ type: ContactDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CONTACT_DEACTIVATED (a deactivated person cannot be primary)' })
  update(
    @CurrentScope() scope: FirmScope,
    @Param('clientId', uuidPipe) clientId: string,
    @Param('contactId', uuidPipe) contactId: string,
    @Body() dto: UpdateContactDto,
  ): Promise<ContactDto> {
    return this.contacts.update(scope, clientId, contactId, dto);
  }

  @Post(':contactId/deactivate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Take away portal access to this client (signed out if no business is left)' })
  @ApiOkResponse({ type: ContactDto })
  deactivate(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string, @Param('contactId', uuidPipe) contactId: string): Promise<ContactDto> {
    return this.contacts.deactivate(scope, clientId, contactId);
  }

  @Post(':contactId/reactivate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Give a deactivated portal user access again' })
  @ApiOkResponse({ type: ContactDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CONTACT_ALREADY_ACTIVE' })
  reactivate(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string, @Param('contactId', uuidPipe) contactId: string): Promise<ContactDto> {
    return this.contacts.reactivate(scope, clientId, contactId);
  }

  @Post(':contactId/resend-invitation')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Email the invitation again with a fresh link' })
  @ApiOkResponse({ type: ContactDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CONTACT_DEACTIVATED' })
  resend(@CurrentScope() scope: FirmScope, @Param('clientId', uuidPipe) clientId: string, @Param('contactId', uuidPipe) contactId: string): Promise<ContactDto> {
    return this.contacts.resendInvitation(scope, clientId, contactId);
  }
}
