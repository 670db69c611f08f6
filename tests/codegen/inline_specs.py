"""Small specs with every shape the generator must get right (bodies for `generated.write_spec`)."""

SHAPES = """\
paths: {}
components:
  schemas:
    DocStatus:
      type: string
      description: Where a document is.
      enum: [pending, signed, link-opened]
    Signer:
      type: object
      description: Someone who signs.
      required: [name, email, token, tags]
      properties:
        name: {type: string}
        email:
          type: [string, "null"]
          description: Null when the signer has none.
        token: {type: string, x-tessera-secret: true}
        tags: {type: array, items: {type: string}}
        phoneNumber: {type: string}
        status: {$ref: '#/components/schemas/DocStatus'}
        kind: {type: string, enum: [person, company]}
        address:
          type: object
          properties:
            city: {type: string}
        signed_at: {type: [string, "null"], format: date-time}
        birthday: {type: string, format: date}
        attempts: {type: [object, "null"], additionalProperties: {type: integer}}
        extra: {type: object, additionalProperties: true}
        free: {type: object}
        notes: {type: array, items: {type: string}, default: []}
        retries: {type: integer, default: 3}
    Doc:
      type: object
      required: [signers, status]
      properties:
        signers:
          type: array
          items: {$ref: '#/components/schemas/Signer'}
        status: {$ref: '#/components/schemas/DocStatus'}
        parent: {$ref: '#/components/schemas/Doc'}
        event: {$ref: '#/components/schemas/Event'}
    Query:
      type: object
      properties:
        $sort: {type: integer}
        from: {type: string}
        _id: {type: string}
        self: {type: string}
        attrs: {type: string}
        password: {type: string, x-tessera-secret: true}
    Cat:
      type: object
      required: [type, meows]
      properties:
        type: {type: string}
        meows: {type: boolean}
    Dog:
      type: object
      required: [type]
      properties:
        type: {type: string}
        barks: {type: integer}
    Event:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: type
        mapping:
          cat: '#/components/schemas/Cat'
          dog: '#/components/schemas/Dog'
    Counts:
      type: object
      additionalProperties: {type: integer}
    Anything:
      type: object
      additionalProperties: true
    Bag:
      type: object
"""

OPERATIONS = """\
  pagination:
    pages:
      kind: page-number
      page-param: page
      items: results
      next: next
      total: count
security:
  - Key: []
tags:
  - name: items
paths:
  /items/:
    get:
      operationId: list_items
      tags: [items]
      summary: List items, page by page.
      x-tessera-pagination: pages
      parameters:
        - {name: page, in: query, description: Page number., schema: {type: integer}}
        - {name: status, in: query, schema: {type: string, enum: [open, closed]}}
        - {name: $limit, in: query, schema: {type: integer}}
        - {name: since, in: query, required: true, schema: {type: string, format: date}}
      responses:
        '200':
          description: A page.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ItemPage'}
    post:
      operationId: create_item
      tags: [items]
      summary: Create an item.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewItem'}
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
  /items/{itemId}/:
    parameters:
      - {name: itemId, in: path, required: true, description: The item's id., schema: {type: string}}
    get:
      operationId: get_item
      tags: [items]
      responses:
        '200':
          description: The item.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
    patch:
      operationId: update_item
      tags: [items]
      x-tessera-retry-safe: true
      parameters:
        - {name: body, in: query, schema: {type: string}}
        - {name: timeout, in: query, schema: {type: number}}
      requestBody:
        required: false
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewItem'}
      responses:
        '200':
          description: The item.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
    delete:
      operationId: delete_item
      tags: [items]
      summary: Delete an item.
      responses:
        '204': {description: Deleted.}
  /tags/:
    get:
      operationId: list_tags
      tags: [labels]
      security: []
      responses:
        '200':
          description: Every tag.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Item'}}
components:
  securitySchemes:
    Key:
      type: http
      scheme: bearer
      description: Prose that the profile leaves out.
      x-tessera-auth: {kind: static, jwt: never}
  schemas:
    Item:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
    NewItem:
      type: object
      required: [name]
      properties:
        name: {type: string}
    ItemPage:
      type: object
      required: [count, next, results]
      properties:
        count: {type: integer}
        next: {type: [string, "null"]}
        results:
          type: array
          items: {$ref: '#/components/schemas/Item'}
"""

INLINE = """\
paths:
  /docs/{id}/audit:
    get:
      operationId: getDocAuditTrail
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The trail.
          content:
            application/json:
              schema:
                type: object
                required: [doc, events]
                properties:
                  doc: {type: string}
                  events:
                    type: array
                    items:
                      type: object
                      required: [at, kind]
                      properties:
                        at: {type: string, format: date-time}
                        kind: {type: string, enum: [opened, signed]}
                        actor:
                          type: object
                          properties:
                            name: {type: string}
                  counts:
                    type: object
                    additionalProperties: {type: integer}
                  signatures:
                    type: object
                    additionalProperties:
                      type: object
                      required: [at]
                      properties:
                        at: {type: string, format: date-time}
                  source:
                    oneOf:
                      - type: object
                        required: [url]
                        properties:
                          url: {type: string}
                      - type: object
                        required: [path]
                        properties:
                          path: {type: string}
                  owner:
                    allOf:
                      - $ref: '#/components/schemas/Doc'
                      - type: object
                        properties:
                          team: {type: string}
  /docs:
    get:
      operationId: listDocs
      responses:
        '200':
          description: Every doc.
          content:
            application/json:
              schema:
                type: array
                items:
                  type: object
                  required: [id]
                  properties:
                    id: {type: string}
    post:
      operationId: createDoc
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name, signers]
              properties:
                name: {type: string}
                signers:
                  type: array
                  items:
                    type: object
                    required: [email]
                    properties:
                      email: {type: string}
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Doc'}
  /labels:
    put:
      operationId: setLabels
      requestBody:
        content:
          application/json:
            schema:
              type: object
              additionalProperties: {type: string}
      responses:
        '200':
          description: The doc with its labels.
          content:
            application/json:
              schema:
                allOf:
                  - $ref: '#/components/schemas/Doc'
                  - type: object
                    required: [labels]
                    properties:
                      labels:
                        type: object
                        additionalProperties: {type: string}
  /docs/{id}/draft:
    get:
      operationId: getDraft
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The doc's draft, or null.
          content:
            application/json:
              schema:
                type: [object, "null"]
                properties:
                  text: {type: string}
  /echo:
    post:
      operationId: echo
      requestBody:
        content:
          application/json:
            schema: {description: Any JSON value.}
      responses:
        '200':
          description: The body, as sent.
          content:
            application/json:
              schema: {}
  /search:
    post:
      operationId: search
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - $ref: '#/components/schemas/ByName'
                - $ref: '#/components/schemas/ById'
      responses:
        '200':
          description: A doc, or why there is none.
          content:
            application/json:
              schema:
                anyOf:
                  - $ref: '#/components/schemas/Doc'
                  - type: object
                    required: [reason]
                    properties:
                      reason: {type: string}
components:
  schemas:
    Doc:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
    ByName:
      type: object
      required: [name]
      properties:
        name: {type: string}
    ById:
      type: object
      required: [id]
      properties:
        id: {type: string}
    CreateDocBody:
      description: A schema of the spec with the name the inline body of createDoc would take.
      type: object
      properties:
        draft: {type: boolean}
"""

BODIES = """\
paths:
  /search:
    post:
      operationId: search
      requestBody:
        required: true
        content:
          application/xml:
            schema: {$ref: '#/components/schemas/Criteria'}
          multipart/form-data:
            schema: {$ref: '#/components/schemas/Criteria'}
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/Criteria'}
      responses:
        '200':
          description: Found.
          content:
            application/json:
              schema: {type: array, items: {type: string}}
  /photos:
    post:
      operationId: add_photo
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [photo]
              properties:
                photo: {type: string, format: binary}
                caption: {type: string}
                tags: {type: array, items: {type: string}}
                place: {$ref: '#/components/schemas/Place'}
      responses:
        '204': {description: Added.}
  /raw:
    put:
      operationId: put_raw
      requestBody:
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses:
        '200':
          description: Stored.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Stored'}
  /readme:
    get:
      operationId: get_readme
      parameters:
        - {name: charset, in: query, schema: {type: string}}
      responses:
        '200':
          description: The text.
          content:
            text/plain:
              schema: {type: string}
  /report:
    get:
      operationId: get_report
      responses:
        '200':
          description: A PDF.
          content:
            application/pdf:
              schema: {type: string, format: binary}
  /maybe:
    get:
      operationId: get_maybe
      parameters:
        - {name: empty, in: query, schema: {type: boolean}}
      responses:
        '200':
          description: Something.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Stored'}
        '204': {description: Nothing yet.}
  /fallback:
    get:
      operationId: get_fallback
      responses:
        default:
          description: Whatever comes.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Stored'}
  /attachments:
    post:
      operationId: add_attachment
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Attachment'}
      responses:
        '200':
          description: The attachment as stored.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Attachment'}
components:
  schemas:
    Criteria:
      type: object
      required: [criteria]
      properties:
        criteria: {type: string}
        start: {type: integer}
        exact: {type: boolean}
        fields: {type: array, items: {type: string}}
    Place:
      type: object
      properties:
        city: {type: string}
    Stored:
      type: object
      required: [size]
      properties:
        size: {type: integer}
    Attachment:
      type: object
      required: [name]
      properties:
        name: {type: string}
        content: {type: string, format: byte}
        thumbnail: {type: string, contentEncoding: base64}
        raw: {type: string, format: binary}
"""

UNIONS = """\
  pagination:
    pages: {kind: page-number, page-param: page, items: results, next: next, total: count}
paths:
  /shapes/{id}:
    get:
      operationId: getShape
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: A shape.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Shape'}
    put:
      operationId: putShape
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Shape'}
      responses:
        '200':
          description: The shape's tags, one or many.
          content:
            application/json:
              schema:
                oneOf:
                  - type: string
                  - type: array
                    items: {type: string}
  /shapes:
    post:
      operationId: createShape
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                grade:
                  oneOf: [{$ref: '#/components/schemas/Color'}, {$ref: '#/components/schemas/Level'}]
      responses:
        '204': {description: Created.}
  /pets:
    get:
      operationId: listPets
      x-tessera-pagination: pages
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: A page of pets.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/PetPage'}
    post:
      operationId: addPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '201':
          description: The pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /search:
    get:
      operationId: search
      parameters:
        - name: when
          in: query
          required: true
          schema:
            anyOf: [{type: string, format: date}, {type: string, format: date-time}]
        - {name: ref, in: query, schema: {type: [integer, string]}}
        - name: grade
          in: query
          schema:
            oneOf: [{$ref: '#/components/schemas/Color'}, {$ref: '#/components/schemas/Level'}]
        - {name: filter, in: query, schema: {$ref: '#/components/schemas/Filter'}}
        - name: window
          in: query
          explode: false
          schema:
            type: object
            properties:
              from: {type: integer}
              to: {type: integer}
        - name: X-Mark
          in: header
          schema:
            oneOf: [{type: string}, {type: 'null'}]
      responses:
        '200':
          description: The query as the server read it.
          content:
            application/json:
              schema: {type: string}
webhooks:
  pet_seen:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [kind, pet]
              properties:
                kind: {type: string, enum: [seen, lost]}
                pet: {$ref: '#/components/schemas/Pet'}
      responses:
        '200': {description: Received.}
    x-tessera-event-field: kind
components:
  schemas:
    Color: {type: string, enum: [red, green]}
    Level: {type: integer, enum: [1, 2]}
    Cat:
      type: object
      required: [kind, meows]
      properties:
        kind: {type: string}
        meows: {type: boolean}
    Dog:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        barks: {type: integer}
    Bird:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator:
        propertyName: kind
        mapping: {cat: '#/components/schemas/Cat', dog: Dog}
    Fish:
      type: object
      required: [kind, fins]
      properties:
        kind: {type: string}
        fins: {type: integer}
    Flock:
      description: A discriminator without a mapping names each member by its schema's name.
      oneOf: [{$ref: '#/components/schemas/Bird'}, {$ref: '#/components/schemas/Fish'}]
      discriminator: {propertyName: kind}
    Leaf:
      type: object
      required: [value]
      properties:
        value: {type: integer}
    Branch:
      type: object
      required: [children]
      properties:
        children:
          type: array
          items: {$ref: '#/components/schemas/Tree'}
    Tree:
      description: Recursive, through a union.
      oneOf: [{$ref: '#/components/schemas/Leaf'}, {$ref: '#/components/schemas/Branch'}]
    Filter:
      type: object
      properties:
        city: {type: string}
        max: {type: integer}
        color: {$ref: '#/components/schemas/Color'}
    Note:
      type: object
      properties:
        text: {type: string}
    Memo:
      type: object
      properties:
        title: {type: string}
    PetPage:
      type: object
      required: [count, next, results]
      properties:
        count: {type: integer}
        next: {type: [string, "null"]}
        results:
          type: array
          items:
            type: object
            required: [name]
            properties:
              name: {type: string}
              owner:
                oneOf:
                  - {type: string}
                  - {type: object, required: [id], properties: {id: {type: integer}}}
    Shape:
      type: object
      properties:
        tags:
          oneOf: [{type: string}, {type: array, items: {type: string}}]
        when:
          anyOf: [{type: string, format: date-time}, {type: string, format: date}]
        ref:
          oneOf: [{type: integer}, {type: string}]
        grade:
          oneOf: [{$ref: '#/components/schemas/Color'}, {$ref: '#/components/schemas/Level'}]
        pet: {$ref: '#/components/schemas/Pet'}
        maybe:
          oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}, {type: 'null'}]
        pets:
          type: array
          items:
            anyOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
        by_name:
          type: object
          additionalProperties:
            oneOf: [{type: integer}, {type: array, items: {type: integer}}]
        source:
          oneOf:
            - {type: object, required: [url], properties: {url: {type: string}}}
            - {type: object, required: [path], properties: {path: {type: string}}}
        either:
          anyOf: [{$ref: '#/components/schemas/Note'}, {$ref: '#/components/schemas/Memo'}]
        flock: {$ref: '#/components/schemas/Flock'}
        tree: {$ref: '#/components/schemas/Tree'}
"""
