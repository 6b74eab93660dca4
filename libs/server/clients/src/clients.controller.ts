import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AdminOnly, CurrentScope, ErrorResponseDto, Staff, uuidPipe } from '@ledgerport/server/access';
import type { FirmScope } from '@ledgerport/server/db';
import { ClientsService } from './clients.service';
import {
  ClientDto,
  ClientPageDto,
  CreateClientDto,
  DeleteClientQuery,
  ListClientsQuery,
  SetClientStaffDto,
  UpdateClientDto,
} from './dto/clients.dto';


@ApiTags('clients')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_FOUND: unknown, another firm\'s, or not assigned to you' })
@Controller('api/v1/clients')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Get()
  @Staff()
  @ApiOperation({ summary: 'Clients you can see (admins: all; staff: assigned), by name' })
  @ApiOkResponse({ type: ClientPageDto })
  list(@CurrentScope() scope: FirmScope, @Query() q: ListClientsQuery): Promise<ClientPageDto> {
    return this.clients.list(scope, q);
  }

  @Post()
  @AdminOnly()
  @ApiOperation({ summary: 'Create a client (admins)' })
  @ApiCreatedResponse({ type: ClientDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CLIENT_NAME_TAKEN' })
  create(@CurrentScope() scope: FirmScope, @Body() dto: CreateClientDto): Promise<ClientDto> {
    return this.clients.create(scope, dto);
  }

  @Get(':id')
  @Staff()
  @ApiOperation({ summary: 'One client' })
  @ApiOkResponse({ type: ClientDto })
  get(@CurrentScope() scope: FirmScope, @Param('id', uuidPipe) id: string): Promise<ClientDto> {
    return this.clients.get(scope, id);
  }

  @Patch(':id')
  @Staff()
  @ApiOperation({ summary: 'Rename a client or change its portal settings' })
  @ApiOkResponse({ type: ClientDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CLIENT_NAME_TAKEN' })
  update(@CurrentScope() scope: FirmScope, @Param('id', uuidPipe) id: string, @Body() dto: UpdateClientDto): Promise<ClientDto> {
    return this.clients.update(scope, id, dto);
  }

  @Post(':id/archive')
  @AdminOnly()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Archive a client (admins); it leaves the active list but keeps its data' })
  @ApiOkResponse({ type: ClientDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CLIENT_ALREADY_ARCHIVED' })
  archive(@CurrentScope() scope: FirmScope, @Param('id', uuidPipe) id: string): Promise<ClientDto> {
    return this.clients.archive(scope, id, true);
  }

  @Post(':id/restore')
  @AdminOnly()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Restore an archived client (admins)' })
  @ApiOkResponse({ type: ClientDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CLIENT_NOT_ARCHIVED' })
  restore(@CurrentScope() scope: FirmScope, @Param('id', uuidPipe) id: string): Promise<ClientDto> {
    return this.clients.archive(scope, id, false);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a client and everything of it (admins); confirmName must be its exact name' })
  @ApiNoContentResponse()
  async delete(@CurrentScope() scope: FirmScope, @Param('id', uuidPipe) id: string, @Query() q: DeleteClientQuery): Promise<void> {
    await this.clients.delete(scope, id, q.confirmName);
  }

  @Put(':id/staff')
  @AdminOnly()
  @ApiOperation({ summary: 'Set who is assigned to this client (admins)' })
  @ApiOkResponse({ type: ClientDto })
  setStaff(@CurrentScope() scope: FirmScope, @Param('id', uuidPipe) id: string, @Body() dto: SetClientStaffDto): Promise<ClientDto> {
    return this.clients.setStaff(scope, id, dto.userIds);
  }
}
