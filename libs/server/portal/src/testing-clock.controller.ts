import { Body, Controller, Get, HttpStatus, Put } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Clock } from '@ledgerport/server/access';
import { AppException } from '@ledgerport/server/errors';
import { ClockDto, SetClockDto } from './dto/portal.dto';
import { PortalErrorCode } from './portal.errors';

/**
 * Tests only (TEST_CLOCK=true, refused in production by the configuration): move the clock that
 * judges link and session expiry. Everywhere else these routes do not exist.
 */
@ApiExcludeController()
@Controller('api/v1/testing/clock')
export class TestingClockController {
  constructor(private readonly clock: Clock) {}

  @Get()
  get(): ClockDto {
    this.mustBeMovable();
    return { offsetMs: this.clock.offset, now: this.clock.now().toISOString() };
  }

  @Put()
  set(@Body() dto: SetClockDto): ClockDto {
    this.mustBeMovable();
    this.clock.setOffset(dto.offsetMs);
    return this.get();
  }

  private mustBeMovable(): void {
    if (!this.clock.movable) {
      throw new AppException(HttpStatus.NOT_FOUND, PortalErrorCode.CLOCK_NOT_MOVABLE, 'There is nothing here.');
    }
  }
}
