import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Sillage API')
    .setDescription(
      'Pass vouchers from funding to redemption and settlement, with a verifiable audit trail. ' +
        'Errors are RFC 9457 application/problem+json with a stable `code` and the offending `field`. ' +
        'Lists use keyset pagination: pass `nextCursor` back as `cursor`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API key' })
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
}
