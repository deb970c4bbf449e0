import { Module } from '@nestjs/common';
import { ApiTokensService } from './api-tokens.service';
import { AuditLogController } from './audit-log.controller';
import { AuditLogService } from './audit-log.service';
import { SessionController } from './session.controller';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { MeController } from './me.controller';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Accounts, sign-in, tokens and the default-deny guard (registered globally by AppModule). */
@Module({
  controllers: [
    AuthController,
    SessionController,
    MeController,
    UsersController,
    AuditLogController,
  ],
  providers: [AuthService, ApiTokensService, UsersService, AuditLogService, AuthGuard],
  exports: [AuthService, UsersService, AuthGuard],
})
export class AuthModule {}
