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
import {
  AssignableListDto,
  AssignableQuery,
  InviteMemberDto,
  SetMemberClientsDto,
  TeamListDto,
  TeamMemberDto,
  UpdateMemberDto,
} from './dto/team.dto';
import { TeamService } from './team.service';

@ApiTags('team')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: "MEMBER_NOT_FOUND: unknown or another firm's" })
@Controller('api/v1/team')
export class TeamController {
  constructor(private readonly team: TeamService) {}

  /** Every staff member may read this one (to pick whom to assign); the rest is for admins. */
  @Get('assignable')
  @Staff()
  @ApiOperation({
    summary: 'Active teammates a question can be assigned to (any staff member)',
    description:
      'With `clientId`: only those who can see that client (its admins and its assigned staff). ' +
      'No invitation or sign-in details.',
  })
  @ApiOkResponse({ type: AssignableListDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: "CLIENT_NOT_FOUND: unknown, another firm's, or not visible to you" })
  async assignable(@CurrentScope() scope: FirmScope, @Query() q: AssignableQuery): Promise<AssignableListDto> {
    return { items: await this.team.assignable(scope, q.clientId) };
  }

  @Get()
  @AdminOnly()
  @ApiOperation({ summary: "The firm's people, their roles and assignments (admins)" })
  @ApiOkResponse({ type: TeamListDto })
  async list(@CurrentScope() scope: FirmScope): Promise<TeamListDto> {
    return { items: await this.team.list(scope) };
  }

  @Post('invitations')
  @AdminOnly()
  @ApiOperation({ summary: 'Invite a teammate by name and email; they set their own password from the email' })
  @ApiCreatedResponse({ type: TeamMemberDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'EMAIL_ALREADY_REGISTERED' })
  invite(@CurrentScope() scope: FirmScope, @Body() dto: InviteMemberDto): Promise<TeamMemberDto> {
    return this.team.invite(scope, dto);
  }

  @Post(':userId/invitation')
  @AdminOnly()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Send a new invitation email (older links stop working)' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ALREADY_ACTIVE' })
  async resend(@CurrentScope() scope: FirmScope, @Param('userId', uuidPipe) userId: string): Promise<void> {
    await this.team.resendInvitation(scope, userId);
  }

  @Patch(':userId')
  @AdminOnly()
  @ApiOperation({ summary: "Change a teammate's role; applies to their next request" })
  @ApiOkResponse({ type: TeamMemberDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'LAST_ADMIN' })
  update(@CurrentScope() scope: FirmScope, @Param('userId', uuidPipe) userId: string, @Body() dto: UpdateMemberDto): Promise<TeamMemberDto> {
    return this.team.changeRole(scope, userId, dto.role);
  }

  @Delete(':userId')
  @AdminOnly()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a teammate; their sessions end at once' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'LAST_ADMIN or CANNOT_REMOVE_SELF' })
  async remove(@CurrentScope() scope: FirmScope, @Param('userId', uuidPipe) userId: string): Promise<void> {
    await this.team.remove(scope, userId);
  }

  @Put(':userId/clients')
  @AdminOnly()
  @ApiOperation({ summary: 'Set the clients a teammate is assigned to' })
  @ApiOkResponse({ type: TeamMemberDto })
  setClients(
    @CurrentScope() scope: FirmScope,
    @Param('userId', uuidPipe) userId: string,
    @Body() dto: SetMemberClientsDto,
  ): Promise<TeamMemberDto> {
    return this.team.setClients(scope, userId, dto.clientIds);
  }
}
