/* tslint:disable */
/* eslint-disable */
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import type { TsoaRoute } from '@tsoa/runtime';
import { fetchMiddlewares, KoaTemplateService } from '@tsoa/runtime';
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import { ReadStatesController } from './../read-states/read-states.controller';
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import { ReactionsController } from './../reactions/reactions.controller';
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import { PresenceController } from './../presence/presence.controller';
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import { HistoryController } from './../history/history.controller';
import { koaAuthentication } from './../http/authentication';
// @ts-ignore - no great way to install types from subpackage
import { iocContainer } from './../http/ioc';
import type { IocContainer, IocContainerFactory } from '@tsoa/runtime';
import type { Context, Next, Middleware, Request as KRequest, Response as KResponse } from 'koa';
import type { Router as KoaRouter } from '@koa/router';
const koaAuthenticationRecasted = koaAuthentication as (req: KRequest, securityName: string, scopes?: string[], res?: KResponse) => Promise<any>;


// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

const models: TsoaRoute.Models = {
    "ProblemDocument": {
        "dataType": "refObject",
        "properties": {
            "type": {"dataType":"string","required":true},
            "title": {"dataType":"string","required":true},
            "status": {"dataType":"double","required":true},
            "detail": {"dataType":"string"},
            "instance": {"dataType":"string"},
            "code": {"dataType":"string","required":true},
            "errors": {"dataType":"nestedObjectLiteral","nestedProperties":{},"additionalProperties":{"dataType":"nestedObjectLiteral","nestedProperties":{"value":{"dataType":"any"},"message":{"dataType":"string","required":true}}}},
        },
        "additionalProperties": {"dataType":"any"},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ReadStateView": {
        "dataType": "refObject",
        "properties": {
            "channelId": {"dataType":"string","required":true},
            "guildId": {"dataType":"string","required":true},
            "lastReadSeq": {"dataType":"double","required":true},
            "lastSeq": {"dataType":"double","required":true},
            "unreadCount": {"dataType":"double","required":true},
            "mentionCount": {"dataType":"double","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "Snowflake": {
        "dataType": "refAlias",
        "type": {"dataType":"string","validators":{"pattern":{"value":"^(?:[1-9][0-9]{0,17}|[1-8][0-9]{18})$"},"maxLength":{"value":19}}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "UserId": {
        "dataType": "refAlias",
        "type": {"dataType":"string","validators":{"minLength":{"value":1},"maxLength":{"value":64}}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ReactionUserView": {
        "dataType": "refObject",
        "properties": {
            "id": {"dataType":"string","required":true},
            "username": {"dataType":"string","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "PresenceView": {
        "dataType": "refObject",
        "properties": {
            "userId": {"dataType":"string","required":true},
            "username": {"dataType":"string","required":true},
            "status": {"dataType":"union","subSchemas":[{"dataType":"enum","enums":["online"]},{"dataType":"enum","enums":["idle"]},{"dataType":"enum","enums":["offline"]}],"required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ReactionCountView": {
        "dataType": "refObject",
        "properties": {
            "emoji": {"dataType":"string","required":true},
            "count": {"dataType":"double","required":true},
            "me": {"dataType":"boolean","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "HistoryMessageView": {
        "dataType": "refObject",
        "properties": {
            "id": {"dataType":"string","required":true},
            "seq": {"dataType":"double","required":true},
            "channelId": {"dataType":"string","required":true},
            "guildId": {"dataType":"string","required":true},
            "author": {"dataType":"nestedObjectLiteral","nestedProperties":{"username":{"dataType":"string","required":true},"id":{"dataType":"string","required":true}},"required":true},
            "content": {"dataType":"string","required":true},
            "mentions": {"dataType":"nestedObjectLiteral","nestedProperties":{"everyone":{"dataType":"boolean","required":true},"users":{"dataType":"array","array":{"dataType":"string"},"required":true}},"required":true},
            "createdAt": {"dataType":"string","required":true},
            "editedAt": {"dataType":"string"},
            "replyTo": {"dataType":"string"},
            "deletedAt": {"dataType":"string"},
            "reactions": {"dataType":"array","array":{"dataType":"refObject","ref":"ReactionCountView"},"required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
};
const templateService = new KoaTemplateService(models, {"noImplicitAdditionalProperties":"throw-on-extras","bodyCoercion":true});

// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa


export function RegisterRoutes(router: KoaRouter) {

    // ###########################################################################################################
    //  NOTE: If you do not see routes for all of your controllers in this file, then you might not have informed tsoa of where to look
    //      Please look into the "controllerPathGlobs" config option described in the readme: https://github.com/lukeautry/tsoa
    // ###########################################################################################################


        const argsReadStatesController_listMyReadStates: Record<string, TsoaRoute.ParameterSchema> = {
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
        };
        router.get('/api/users/@me/read-states',
            authenticateMiddleware([{"keycloak":[]}]),
            ...(fetchMiddlewares<Middleware>(ReadStatesController)),
            ...(fetchMiddlewares<Middleware>(ReadStatesController.prototype.listMyReadStates)),

            async function ReadStatesController_listMyReadStates(context: Context, next: Next) {

            let validatedArgs: any[] = [];
            try {
              validatedArgs = templateService.getValidatedArgs({ args: argsReadStatesController_listMyReadStates, context, next });
            } catch (err) {
              const error = err as any;
              error.message ||= JSON.stringify({ fields: error.fields });
              context.status = error.status;
              context.throw(context.status, error.message, error);
            }

            const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(context.request) : iocContainer;

            const controller: any = await container.get<ReadStatesController>(ReadStatesController);
            if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
            }

            return templateService.apiHandler({
              methodName: 'listMyReadStates',
              controller,
              context,
              validatedArgs,
              successStatus: undefined,
            });
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsReactionsController_addMyReaction: Record<string, TsoaRoute.ParameterSchema> = {
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                channelId: {"in":"path","name":"channelId","required":true,"ref":"Snowflake"},
                messageId: {"in":"path","name":"messageId","required":true,"ref":"Snowflake"},
                emoji: {"in":"path","name":"emoji","required":true,"dataType":"string"},
        };
        router.put('/api/channels/:channelId/messages/:messageId/reactions/:emoji/@me',
            authenticateMiddleware([{"keycloak":[]}]),
            ...(fetchMiddlewares<Middleware>(ReactionsController)),
            ...(fetchMiddlewares<Middleware>(ReactionsController.prototype.addMyReaction)),

            async function ReactionsController_addMyReaction(context: Context, next: Next) {

            let validatedArgs: any[] = [];
            try {
              validatedArgs = templateService.getValidatedArgs({ args: argsReactionsController_addMyReaction, context, next });
            } catch (err) {
              const error = err as any;
              error.message ||= JSON.stringify({ fields: error.fields });
              context.status = error.status;
              context.throw(context.status, error.message, error);
            }

            const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(context.request) : iocContainer;

            const controller: any = await container.get<ReactionsController>(ReactionsController);
            if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
            }

            return templateService.apiHandler({
              methodName: 'addMyReaction',
              controller,
              context,
              validatedArgs,
              successStatus: 204,
            });
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsReactionsController_removeMyReaction: Record<string, TsoaRoute.ParameterSchema> = {
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                channelId: {"in":"path","name":"channelId","required":true,"ref":"Snowflake"},
                messageId: {"in":"path","name":"messageId","required":true,"ref":"Snowflake"},
                emoji: {"in":"path","name":"emoji","required":true,"dataType":"string"},
        };
        router.delete('/api/channels/:channelId/messages/:messageId/reactions/:emoji/@me',
            authenticateMiddleware([{"keycloak":[]}]),
            ...(fetchMiddlewares<Middleware>(ReactionsController)),
            ...(fetchMiddlewares<Middleware>(ReactionsController.prototype.removeMyReaction)),

            async function ReactionsController_removeMyReaction(context: Context, next: Next) {

            let validatedArgs: any[] = [];
            try {
              validatedArgs = templateService.getValidatedArgs({ args: argsReactionsController_removeMyReaction, context, next });
            } catch (err) {
              const error = err as any;
              error.message ||= JSON.stringify({ fields: error.fields });
              context.status = error.status;
              context.throw(context.status, error.message, error);
            }

            const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(context.request) : iocContainer;

            const controller: any = await container.get<ReactionsController>(ReactionsController);
            if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
            }

            return templateService.apiHandler({
              methodName: 'removeMyReaction',
              controller,
              context,
              validatedArgs,
              successStatus: 204,
            });
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsReactionsController_removeUserReaction: Record<string, TsoaRoute.ParameterSchema> = {
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                channelId: {"in":"path","name":"channelId","required":true,"ref":"Snowflake"},
                messageId: {"in":"path","name":"messageId","required":true,"ref":"Snowflake"},
                emoji: {"in":"path","name":"emoji","required":true,"dataType":"string"},
                userId: {"in":"path","name":"userId","required":true,"ref":"UserId"},
        };
        router.delete('/api/channels/:channelId/messages/:messageId/reactions/:emoji/:userId',
            authenticateMiddleware([{"keycloak":[]}]),
            ...(fetchMiddlewares<Middleware>(ReactionsController)),
            ...(fetchMiddlewares<Middleware>(ReactionsController.prototype.removeUserReaction)),

            async function ReactionsController_removeUserReaction(context: Context, next: Next) {

            let validatedArgs: any[] = [];
            try {
              validatedArgs = templateService.getValidatedArgs({ args: argsReactionsController_removeUserReaction, context, next });
            } catch (err) {
              const error = err as any;
              error.message ||= JSON.stringify({ fields: error.fields });
              context.status = error.status;
              context.throw(context.status, error.message, error);
            }

            const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(context.request) : iocContainer;

            const controller: any = await container.get<ReactionsController>(ReactionsController);
            if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
            }

            return templateService.apiHandler({
              methodName: 'removeUserReaction',
              controller,
              context,
              validatedArgs,
              successStatus: 204,
            });
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsReactionsController_listReactionUsers: Record<string, TsoaRoute.ParameterSchema> = {
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                channelId: {"in":"path","name":"channelId","required":true,"ref":"Snowflake"},
                messageId: {"in":"path","name":"messageId","required":true,"ref":"Snowflake"},
                emoji: {"in":"path","name":"emoji","required":true,"dataType":"string"},
                after: {"in":"query","name":"after","ref":"UserId"},
                limit: {"default":25,"in":"query","name":"limit","dataType":"integer","validators":{"isInt":{"errorMsg":"limit"},"minimum":{"value":1},"maximum":{"value":100}}},
        };
        router.get('/api/channels/:channelId/messages/:messageId/reactions/:emoji',
            authenticateMiddleware([{"keycloak":[]}]),
            ...(fetchMiddlewares<Middleware>(ReactionsController)),
            ...(fetchMiddlewares<Middleware>(ReactionsController.prototype.listReactionUsers)),

            async function ReactionsController_listReactionUsers(context: Context, next: Next) {

            let validatedArgs: any[] = [];
            try {
              validatedArgs = templateService.getValidatedArgs({ args: argsReactionsController_listReactionUsers, context, next });
            } catch (err) {
              const error = err as any;
              error.message ||= JSON.stringify({ fields: error.fields });
              context.status = error.status;
              context.throw(context.status, error.message, error);
            }

            const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(context.request) : iocContainer;

            const controller: any = await container.get<ReactionsController>(ReactionsController);
            if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
            }

            return templateService.apiHandler({
              methodName: 'listReactionUsers',
              controller,
              context,
              validatedArgs,
              successStatus: undefined,
            });
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsReactionsController_clearEmojiReactions: Record<string, TsoaRoute.ParameterSchema> = {
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                channelId: {"in":"path","name":"channelId","required":true,"ref":"Snowflake"},
                messageId: {"in":"path","name":"messageId","required":true,"ref":"Snowflake"},
                emoji: {"in":"path","name":"emoji","required":true,"dataType":"string"},
        };
        router.delete('/api/channels/:channelId/messages/:messageId/reactions/:emoji',
            authenticateMiddleware([{"keycloak":[]}]),
            ...(fetchMiddlewares<Middleware>(ReactionsController)),
            ...(fetchMiddlewares<Middleware>(ReactionsController.prototype.clearEmojiReactions)),

            async function ReactionsController_clearEmojiReactions(context: Context, next: Next) {

            let validatedArgs: any[] = [];
            try {
              validatedArgs = templateService.getValidatedArgs({ args: argsReactionsController_clearEmojiReactions, context, next });
            } catch (err) {
              const error = err as any;
              error.message ||= JSON.stringify({ fields: error.fields });
              context.status = error.status;
              context.throw(context.status, error.message, error);
            }

            const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(context.request) : iocContainer;

            const controller: any = await container.get<ReactionsController>(ReactionsController);
            if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
            }

            return templateService.apiHandler({
              methodName: 'clearEmojiReactions',
              controller,
              context,
              validatedArgs,
              successStatus: 204,
            });
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsReactionsController_clearReactions: Record<string, TsoaRoute.ParameterSchema> = {
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                channelId: {"in":"path","name":"channelId","required":true,"ref":"Snowflake"},
                messageId: {"in":"path","name":"messageId","required":true,"ref":"Snowflake"},
        };
        router.delete('/api/channels/:channelId/messages/:messageId/reactions',
            authenticateMiddleware([{"keycloak":[]}]),
            ...(fetchMiddlewares<Middleware>(ReactionsController)),
            ...(fetchMiddlewares<Middleware>(ReactionsController.prototype.clearReactions)),

            async function ReactionsController_clearReactions(context: Context, next: Next) {

            let validatedArgs: any[] = [];
            try {
              validatedArgs = templateService.getValidatedArgs({ args: argsReactionsController_clearReactions, context, next });
            } catch (err) {
              const error = err as any;
              error.message ||= JSON.stringify({ fields: error.fields });
              context.status = error.status;
              context.throw(context.status, error.message, error);
            }

            const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(context.request) : iocContainer;

            const controller: any = await container.get<ReactionsController>(ReactionsController);
            if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
            }

            return templateService.apiHandler({
              methodName: 'clearReactions',
              controller,
              context,
              validatedArgs,
              successStatus: 204,
            });
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsPresenceController_listPresence: Record<string, TsoaRoute.ParameterSchema> = {
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                guildId: {"in":"path","name":"guildId","required":true,"ref":"Snowflake"},
        };
        router.get('/api/guilds/:guildId/presence',
            authenticateMiddleware([{"keycloak":[]}]),
            ...(fetchMiddlewares<Middleware>(PresenceController)),
            ...(fetchMiddlewares<Middleware>(PresenceController.prototype.listPresence)),

            async function PresenceController_listPresence(context: Context, next: Next) {

            let validatedArgs: any[] = [];
            try {
              validatedArgs = templateService.getValidatedArgs({ args: argsPresenceController_listPresence, context, next });
            } catch (err) {
              const error = err as any;
              error.message ||= JSON.stringify({ fields: error.fields });
              context.status = error.status;
              context.throw(context.status, error.message, error);
            }

            const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(context.request) : iocContainer;

            const controller: any = await container.get<PresenceController>(PresenceController);
            if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
            }

            return templateService.apiHandler({
              methodName: 'listPresence',
              controller,
              context,
              validatedArgs,
              successStatus: undefined,
            });
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsHistoryController_listMessages: Record<string, TsoaRoute.ParameterSchema> = {
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                channelId: {"in":"path","name":"channelId","required":true,"ref":"Snowflake"},
                before: {"in":"query","name":"before","dataType":"long","validators":{"isLong":{"errorMsg":"before"},"minimum":{"value":1},"maximum":{"value":9007199254740991}}},
                after: {"in":"query","name":"after","dataType":"long","validators":{"isLong":{"errorMsg":"after"},"minimum":{"value":0},"maximum":{"value":9007199254740991}}},
                around: {"in":"query","name":"around","dataType":"long","validators":{"isLong":{"errorMsg":"around"},"minimum":{"value":1},"maximum":{"value":9007199254740991}}},
                limit: {"default":50,"in":"query","name":"limit","dataType":"integer","validators":{"isInt":{"errorMsg":"limit"},"minimum":{"value":1},"maximum":{"value":100}}},
        };
        router.get('/api/channels/:channelId/messages',
            authenticateMiddleware([{"keycloak":[]}]),
            ...(fetchMiddlewares<Middleware>(HistoryController)),
            ...(fetchMiddlewares<Middleware>(HistoryController.prototype.listMessages)),

            async function HistoryController_listMessages(context: Context, next: Next) {

            let validatedArgs: any[] = [];
            try {
              validatedArgs = templateService.getValidatedArgs({ args: argsHistoryController_listMessages, context, next });
            } catch (err) {
              const error = err as any;
              error.message ||= JSON.stringify({ fields: error.fields });
              context.status = error.status;
              context.throw(context.status, error.message, error);
            }

            const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(context.request) : iocContainer;

            const controller: any = await container.get<HistoryController>(HistoryController);
            if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
            }

            return templateService.apiHandler({
              methodName: 'listMessages',
              controller,
              context,
              validatedArgs,
              successStatus: undefined,
            });
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsHistoryController_getMessage: Record<string, TsoaRoute.ParameterSchema> = {
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                channelId: {"in":"path","name":"channelId","required":true,"ref":"Snowflake"},
                messageId: {"in":"path","name":"messageId","required":true,"ref":"Snowflake"},
        };
        router.get('/api/channels/:channelId/messages/:messageId',
            authenticateMiddleware([{"keycloak":[]}]),
            ...(fetchMiddlewares<Middleware>(HistoryController)),
            ...(fetchMiddlewares<Middleware>(HistoryController.prototype.getMessage)),

            async function HistoryController_getMessage(context: Context, next: Next) {

            let validatedArgs: any[] = [];
            try {
              validatedArgs = templateService.getValidatedArgs({ args: argsHistoryController_getMessage, context, next });
            } catch (err) {
              const error = err as any;
              error.message ||= JSON.stringify({ fields: error.fields });
              context.status = error.status;
              context.throw(context.status, error.message, error);
            }

            const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(context.request) : iocContainer;

            const controller: any = await container.get<HistoryController>(HistoryController);
            if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
            }

            return templateService.apiHandler({
              methodName: 'getMessage',
              controller,
              context,
              validatedArgs,
              successStatus: undefined,
            });
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa


    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

    function authenticateMiddleware(security: TsoaRoute.Security[] = []) {
        return async function runAuthenticationMiddleware(context: any, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            // keep track of failed auth attempts so we can hand back the most
            // recent one.  This behavior was previously existing so preserving it
            // here
            const failedAttempts: any[] = [];
            const pushAndRethrow = (error: any) => {
                failedAttempts.push(error);
                throw error;
            };

            const secMethodOrPromises: Promise<any>[] = [];
            for (const secMethod of security) {
                if (Object.keys(secMethod).length > 1) {
                    const secMethodAndPromises: Promise<any>[] = [];

                    for (const name in secMethod) {
                        secMethodAndPromises.push(
                            koaAuthenticationRecasted(context.request, name, secMethod[name], context.response)
                                .catch(pushAndRethrow)
                        );
                    }

                    secMethodOrPromises.push(Promise.all(secMethodAndPromises)
                        .then(users => { return users[0]; }));
                } else {
                    for (const name in secMethod) {
                        secMethodOrPromises.push(
                            koaAuthenticationRecasted(context.request, name, secMethod[name], context.response)
                                .catch(pushAndRethrow)
                        );
                    }
                }
            }

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let success;
            try {
                const user = await Promise.any(secMethodOrPromises);
                success = true;
                context.request['user'] = user;
            }
            catch(err) {
                // Response was sent in middleware, abort
                if(context.response.body) {
                    return;
                }

                // Show most recent error as response
                const error = failedAttempts.pop();
                context.status = error.status || 401;
                context.throw(context.status, error.message, error);
            }

            // Response was sent in middleware, abort
            if(context.response.body) {
                return;
            }

            if (success) {
                await next();
            }

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        }
    }

    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
}

// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
