import { Module } from '@nestjs/common';
import { AuthModule } from '@ledgerport/server/auth';
import { ClientsModule } from '@ledgerport/server/clients';
import { FirmsModule } from '@ledgerport/server/firms';
import { NotificationsModule } from '@ledgerport/server/notifications';
import { BrandingController } from './branding.controller';
import { BrandingService } from './branding.service';
import { ContactSessionStore } from './contact-session.store';
import { ContactTokensService } from './contact-tokens.service';
import { ContactGuard, ContactSessionStrategy } from './contact.guard';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';
import { FirmAccessService } from './firm-access.service';
import { GoogleController } from './google.controller';
import { GoogleService } from './google.service';
import { LinkThrottle } from './link-throttle';
import { PortalAuthController } from './portal-auth.controller';
import { PortalAuthService } from './portal-auth.service';
import { PortalBusinessController } from './portal-business.controller';
import { TestingClockController } from './testing-clock.controller';

/** The client portal: contacts and their sign-in, businesses and firm access, branding, Google sign-in. */
@Module({
  imports: [AuthModule, ClientsModule, FirmsModule, NotificationsModule],
  controllers: [
    PortalAuthController,
    PortalBusinessController,
    ContactsController,
    BrandingController,
    GoogleController,
    TestingClockController,
  ],
  providers: [
    ContactSessionStore,
    ContactSessionStrategy,
    ContactGuard,
    ContactTokensService,
    LinkThrottle,
    PortalAuthService,
    FirmAccessService,
    ContactsService,
    BrandingService,
    GoogleService,
  ],
  exports: [ContactSessionStore],
})
export class PortalModule {}
