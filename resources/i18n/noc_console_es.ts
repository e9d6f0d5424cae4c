<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_419" sourcelanguage="en">
<context>
    <name>config</name>
    <message>
        <source>TLS verification is off for source {source}: its answers could be forged</source>
        <translation>La verificación TLS está desactivada para la fuente {source}: sus respuestas podrían ser falsificadas</translation>
    </message>
    <message>
        <source>source {source} sends its password over plain http://: anyone on the network can read it</source>
        <translation>la fuente {source} envía su contraseña por http:// sin cifrar: cualquiera en la red puede leerla</translation>
    </message>
</context>
<context>
    <name>domain.alarms</name>
    <message>
        <source>CUSTOMER-DETECTED</source>
        <translation>DETECTADO POR CLIENTE</translation>
    </message>
    <message>
        <source>CRITICAL</source>
        <translation>CRÍTICA</translation>
    </message>
    <message>
        <source>MAJOR</source>
        <translation>MAYOR</translation>
    </message>
    <message>
        <source>SOURCE STALE</source>
        <translation>FUENTE DESACTUALIZADA</translation>
    </message>
    <message>
        <source>MINOR</source>
        <translation>MENOR</translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation>AVISO</translation>
    </message>
    <message>
        <source>INFO</source>
        <translation>INFO</translation>
    </message>
    <message>
        <source>{kind}: {sources} — {count} unacknowledged</source>
        <translation>{kind}: {sources} — {count} sin reconocer</translation>
    </message>
    <message>
        <source>{kind} #{id} {title} — {count} unacknowledged</source>
        <translation>{kind} #{id} {title} — {count} sin reconocer</translation>
    </message>
    <message>
        <source>mute.minutes: must be a number of minutes, got {value}</source>
        <translation>mute.minutes: debe ser un número de minutos; se recibió {value}</translation>
    </message>
    <message>
        <source>mute.minutes: must be between {low} and {high}, got {value}</source>
        <translation>mute.minutes: debe estar entre {low} y {high}; se recibió {value}</translation>
    </message>
</context>
<context>
    <name>domain.calls</name>
    <message>
        <source>must not be empty</source>
        <translation>no debe estar vacío</translation>
    </message>
    <message>
        <source>at most {limit} characters, not {length}</source>
        <translation>como máximo {limit} caracteres, no {length}</translation>
    </message>
    <message>
        <source>{value} is not a phone number</source>
        <translation>{value} no es un número de teléfono</translation>
    </message>
    <message>
        <source>{value} is not a phone number (read as a {region} number)</source>
        <translation>{value} no es un número de teléfono (leído como número de {region})</translation>
    </message>
    <message>
        <source>{value} is not a phone number (start it with +country code, or set [helpdesk] default_region)</source>
        <translation>{value} no es un número de teléfono (empiécelo con +código de país, o configure default_region en [helpdesk])</translation>
    </message>
    <message>
        <source>{value} is not a valid {country} phone number</source>
        <translation>{value} no es un número de teléfono válido de {country}</translation>
    </message>
    <message>
        <source>{value} is not a valid phone number</source>
        <translation>{value} no es un número de teléfono válido</translation>
    </message>
    <message>
        <source>not a phone number</source>
        <translation>no es un número de teléfono</translation>
    </message>
    <message>
        <source>{phone} is not in a range known to be assigned: check it with the caller</source>
        <translation>{phone} no está en un rango que se sepa asignado: verifíquelo con la persona que llama</translation>
    </message>
    <message>
        <source>{value} is not a UUID</source>
        <translation>{value} no es un UUID</translation>
    </message>
    <message>
        <source>must name the incident to attach the call to</source>
        <translation>debe indicar el incidente al que se vincula la llamada</translation>
    </message>
    <message>
        <source>must carry a time zone</source>
        <translation>debe incluir la zona horaria</translation>
    </message>
    <message>
        <source>is after the call</source>
        <translation>es posterior a la llamada</translation>
    </message>
    <message>
        <source>Customer report</source>
        <translation>Reporte de cliente</translation>
    </message>
    <message>
        <source>our monitoring was {amount} ahead of the first caller</source>
        <translation>nuestro monitoreo lo detectó {amount} antes de la primera llamada</translation>
    </message>
    <message>
        <source>our monitoring detected it {amount} after the first caller</source>
        <translation>nuestro monitoreo lo detectó {amount} después de la primera llamada</translation>
    </message>
    <message>
        <source>Hello {name}, thank you for calling.</source>
        <translation>Hola, {name}, gracias por llamar.</translation>
    </message>
    <message>
        <source>Hello there, thank you for calling.</source>
        <translation>Hola, gracias por llamar.</translation>
    </message>
    <message>
        <source>Your report is logged with incident #{id}: {title}.</source>
        <translation>Su reporte quedó registrado en el incidente #{id}: {title}.</translation>
    </message>
    <message>
        <source>We have opened it as a new incident and our engineers are looking at it now.</source>
        <translation>Lo abrimos como un incidente nuevo y nuestros ingenieros ya lo están revisando.</translation>
    </message>
    <message>
        <source>Our engineers ({owner}) are working on it since {time}.</source>
        <translation>Nuestros ingenieros ({owner}) están trabajando en ello desde las {time}.</translation>
    </message>
    <message>
        <source>Our engineers are working on it since {time}.</source>
        <translation>Nuestros ingenieros están trabajando en ello desde las {time}.</translation>
    </message>
    <message>
        <source>Our engineers ({owner}) are working on it now.</source>
        <translation>Nuestros ingenieros ({owner}) ya están trabajando en ello.</translation>
    </message>
    <message>
        <source>Our engineers are working on it now.</source>
        <translation>Nuestros ingenieros ya están trabajando en ello.</translation>
    </message>
    <message>
        <source>We will update you by phone by {time}.</source>
        <translation>Le daremos una actualización por teléfono antes de las {time}.</translation>
    </message>
    <message>
        <source>We will update you by text message by {time}.</source>
        <translation>Le daremos una actualización por mensaje de texto antes de las {time}.</translation>
    </message>
    <message>
        <source>We will update you by e-mail by {time}.</source>
        <translation>Le daremos una actualización por correo electrónico antes de las {time}.</translation>
    </message>
    <message>
        <source>Our next update is due by {time}.</source>
        <translation>Nuestra próxima actualización será antes de las {time}.</translation>
    </message>
    <message>
        <source>{typed} is not a time of day</source>
        <translation>{typed} no es una hora del día</translation>
    </message>
    <message>
        <source>{typed} is not a time (10:42, 25 min ago, or 2026-11-27T10:42)</source>
        <translation>{typed} no es una hora (10:42, hace 25 min o 2026-11-27T10:42)</translation>
    </message>
</context>
<context>
    <name>domain.chart_range</name>
    <message>
        <source>To: {last} is before From ({first})</source>
        <translation>Hasta: {last} es anterior a Desde ({first})</translation>
    </message>
    <message>
        <source>{first} to {last} (UTC)</source>
        <translation>del {first} al {last} (UTC)</translation>
    </message>
    <message>
        <source>last {n} day</source>
        <translation>último {n} día</translation>
    </message>
    <message>
        <source>last {n} days</source>
        <translation>últimos {n} días</translation>
    </message>
</context>
<context>
    <name>domain.heartbeat</name>
    <message>
        <source>Heartbeat NOT SENT: {reason} · none sent yet</source>
        <translation>Latido NO ENVIADO: {reason} · aún no se envió ninguno</translation>
    </message>
    <message>
        <source>Heartbeat NOT SENT: {reason} · last sent {age} ago</source>
        <translation>Latido NO ENVIADO: {reason} · el último se envió hace {age}</translation>
    </message>
    <message>
        <source>Heartbeat NOT SENT</source>
        <translation>Latido NO ENVIADO</translation>
    </message>
    <message>
        <source>Heartbeat NOT SENT for {age}</source>
        <translation>SIN LATIDO ({age})</translation>
    </message>
    <message>
        <source>Heartbeat: none sent in {age}</source>
        <translation>Latido: ninguno enviado en {age}</translation>
    </message>
    <message>
        <source>Heartbeat: none sent yet</source>
        <translation>Latido: aún no se envió ninguno</translation>
    </message>
    <message>
        <source>Heartbeat sent {age} ago</source>
        <translation>Latido enviado hace {age}</translation>
    </message>
</context>
<context>
    <name>domain.incidents</name>
    <message>
        <source>ack</source>
        <translation>reconocimiento</translation>
    </message>
    <message>
        <source>alert cleared</source>
        <translation>alerta despejada</translation>
    </message>
    <message>
        <source>alert fired</source>
        <translation>alerta activada</translation>
    </message>
    <message>
        <source>alert pending</source>
        <translation>alerta pendiente</translation>
    </message>
    <message>
        <source>alerts detached</source>
        <translation>alertas desvinculadas</translation>
    </message>
    <message>
        <source>assessment</source>
        <translation>evaluación</translation>
    </message>
    <message>
        <source>assign</source>
        <translation>asignación</translation>
    </message>
    <message>
        <source>call</source>
        <translation>llamada</translation>
    </message>
    <message>
        <source>caller ack</source>
        <translation>reconocimiento de llamada</translation>
    </message>
    <message>
        <source>customer update</source>
        <translation>actualización al cliente</translation>
    </message>
    <message>
        <source>detection race</source>
        <translation>carrera de detección</translation>
    </message>
    <message>
        <source>escalation</source>
        <translation>escalamiento</translation>
    </message>
    <message>
        <source>exec report</source>
        <translation>reporte ejecutivo</translation>
    </message>
    <message>
        <source>stopped flapping</source>
        <translation>dejó de ser intermitente</translation>
    </message>
    <message>
        <source>flapping</source>
        <translation>intermitente</translation>
    </message>
    <message>
        <source>needs review</source>
        <translation>por revisar</translation>
    </message>
    <message>
        <source>note</source>
        <translation>nota</translation>
    </message>
    <message>
        <source>opened</source>
        <translation>abierto</translation>
    </message>
    <message>
        <source>orphaned</source>
        <translation>huérfano</translation>
    </message>
    <message>
        <source>page</source>
        <translation>notificación</translation>
    </message>
    <message>
        <source>page delivery</source>
        <translation>entrega de notificación</translation>
    </message>
    <message>
        <source>page failed</source>
        <translation>notificación fallida</translation>
    </message>
    <message>
        <source>page retry</source>
        <translation>reintento de notificación</translation>
    </message>
    <message>
        <source>page sent</source>
        <translation>notificación enviada</translation>
    </message>
    <message>
        <source>postmortem</source>
        <translation>post-mortem</translation>
    </message>
    <message>
        <source>resolve</source>
        <translation>resolución</translation>
    </message>
    <message>
        <source>severity</source>
        <translation>severidad</translation>
    </message>
    <message>
        <source>sla breach</source>
        <translation>incumplimiento de SLA</translation>
    </message>
    <message>
        <source>OPEN</source>
        <translation>ABIERTO</translation>
    </message>
    <message>
        <source>ACKNOWLEDGED</source>
        <translation>RECONOCIDO</translation>
    </message>
    <message>
        <source>RESOLVED</source>
        <translation>RESUELTO</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>degradado</translation>
    </message>
    <message>
        <source>down</source>
        <translation>caído</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>teléfono</translation>
    </message>
    <message>
        <source>email</source>
        <translation>correo electrónico</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>status page</source>
        <translation>página de estado</translation>
    </message>
    <message>
        <source>monitoring</source>
        <translation>monitoreo</translation>
    </message>
    <message>
        <source>synthetic</source>
        <translation>sintético</translation>
    </message>
    <message>
        <source>customer</source>
        <translation>cliente</translation>
    </message>
</context>
<context>
    <name>domain.inputs</name>
    <message>
        <source>must not contain a NUL character</source>
        <translation>no debe contener un carácter NUL</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>no debe estar vacío</translation>
    </message>
    <message>
        <source>at most {limit} characters, not {length}</source>
        <translation>como máximo {limit} caracteres, no {length}</translation>
    </message>
    <message>
        <source>must be a whole number from 0 to {maximum}</source>
        <translation>debe ser un número entero de 0 a {maximum}</translation>
    </message>
    <message>
        <source>{value} is not one of {allowed}</source>
        <translation>{value} no es uno de estos valores: {allowed}</translation>
    </message>
</context>
<context>
    <name>domain.maintenance</name>
    <message>
        <source>{text!r} is not an ISO 8601 time (2026-11-28T22:00Z)</source>
        <translation>{text!r} no es una hora ISO 8601 (2026-11-28T22:00Z)</translation>
    </message>
    <message>
        <source>{text!r} has no UTC offset; add Z or one such as +01:00</source>
        <translation>{text!r} no tiene desfase respecto de UTC; agregue Z o uno como -03:00</translation>
    </message>
    <message>
        <source>{name!r} is not a configured service (known: {known})</source>
        <translation>{name!r} no es un servicio configurado (conocidos: {known})</translation>
    </message>
    <message>
        <source>must be after the start</source>
        <translation>debe ser posterior al inicio</translation>
    </message>
    <message>
        <source>is already past</source>
        <translation>ya pasó</translation>
    </message>
</context>
<context>
    <name>domain.matching</name>
    <message>
        <source>same service</source>
        <translation>mismo servicio</translation>
    </message>
    <message>
        <source>same service, as {typed}</source>
        <translation>mismo servicio, como {typed}</translation>
    </message>
    <message>
        <source>same service, typed {typed}</source>
        <translation>mismo servicio, escrito {typed}</translation>
    </message>
    <message>
        <source>call mentions {service}</source>
        <translation>la llamada menciona {service}</translation>
    </message>
    <message>
        <source>words: {words}</source>
        <translation>palabras: {words}</translation>
    </message>
    <message>
        <source>detected just now</source>
        <translation>detectado hace un momento</translation>
    </message>
    <message>
        <source>detected {n} min ago</source>
        <translation>detectado hace {n} min</translation>
    </message>
    <message>
        <source>detected {n} h ago</source>
        <translation>detectado hace {n} h</translation>
    </message>
    <message>
        <source>detected {n} days ago</source>
        <translation>detectado hace {n} días</translation>
    </message>
</context>
<context>
    <name>domain.metrics</name>
    <message>
        <source>no configured source or check maps to it</source>
        <translation>ninguna fuente ni chequeo configurado lo cubre</translation>
    </message>
    <message>
        <source>every alert of it is silenced</source>
        <translation>todas sus alertas están silenciadas</translation>
    </message>
</context>
<context>
    <name>domain.paging</name>
    <message>
        <source>provider {provider} does not carry {channel}</source>
        <translation>el proveedor {provider} no admite {channel}</translation>
    </message>
    <message>
        <source>{target} is not a provider: {channel} pages go to a provider target</source>
        <translation>{target} no es un proveedor: las notificaciones por {channel} van a un destino de proveedor</translation>
    </message>
    <message>
        <source>no schedule {schedule}</source>
        <translation>no existe el calendario de guardias {schedule}</translation>
    </message>
    <message>
        <source>nobody is on call for {schedule}</source>
        <translation>nadie está de guardia en {schedule}</translation>
    </message>
    <message>
        <source>no person {person}</source>
        <translation>no existe la persona {person}</translation>
    </message>
    <message>
        <source>{person} has no {channel} address</source>
        <translation>{person} no tiene dirección de {channel}</translation>
    </message>
    <message>
        <source>no provider carries {channel}</source>
        <translation>ningún proveedor admite {channel}</translation>
    </message>
    <message>
        <source>{value} is not a time zone (e.g. Europe/London)</source>
        <translation>{value} no es una zona horaria (p. ej., America/Mexico_City)</translation>
    </message>
    <message>
        <source>{value} is not a time of day (HH:MM)</source>
        <translation>{value} no es una hora del día (HH:MM)</translation>
    </message>
    <message>
        <source>{value} is not an e-mail address</source>
        <translation>{value} no es una dirección de correo electrónico</translation>
    </message>
    <message>
        <source>must name at least one target</source>
        <translation>debe indicar al menos un destino</translation>
    </message>
    <message>
        <source>must name at least one channel</source>
        <translation>debe indicar al menos un canal</translation>
    </message>
    <message>
        <source>{target} is not a person, a schedule:&lt;name&gt; or a provider</source>
        <translation>{target} no es una persona, un schedule:&lt;nombre&gt; ni un proveedor</translation>
    </message>
</context>
<context>
    <name>domain.postmortem</name>
    <message>
        <source>What happened and what it did to our users, in two or three sentences. Describe systems and decisions, not people.</source>
        <translation>Qué pasó y cómo afectó a nuestros usuarios, en dos o tres oraciones. Describa sistemas y decisiones, no personas.</translation>
    </message>
    <message>
        <source>What made this possible? Keep asking why until the answer is a condition of the system (a missing check, a limit, a process gap), not a person.</source>
        <translation>¿Qué hizo esto posible? Siga preguntando por qué hasta que la respuesta sea una condición del sistema (un chequeo faltante, un límite, una brecha en el proceso), no una persona.</translation>
    </message>
    <message>
        <source>What else made it worse or longer: timing, load, missing runbooks, alerts that were noisy or silenced, information that was hard to find.</source>
        <translation>Qué más lo empeoró o lo prolongó: el momento, la carga, procedimientos faltantes, alertas ruidosas o silenciadas, información difícil de encontrar.</translation>
    </message>
    <message>
        <source>Why did our monitoring not detect this before a customer told us? Which signal was missing, too slow, too quiet or silenced?</source>
        <translation>¿Por qué nuestro monitoreo no lo detectó antes de que un cliente nos avisara? ¿Qué señal faltó, fue demasiado lenta, demasiado débil o estaba silenciada?</translation>
    </message>
    <message>
        <source>What was done to restore service.</source>
        <translation>Qué se hizo para restablecer el servicio.</translation>
    </message>
    <message>
        <source>A service credit offered to customers, if any.</source>
        <translation>Un crédito de servicio ofrecido a los clientes, si lo hubo.</translation>
    </message>
    <message>
        <source>monitoring</source>
        <translation>monitoreo</translation>
    </message>
    <message>
        <source>synthetic</source>
        <translation>sintético</translation>
    </message>
    <message>
        <source>customer</source>
        <translation>cliente</translation>
    </message>
    <message>
        <source>firing</source>
        <translation>activa</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>resuelta</translation>
    </message>
    <message>
        <source>detached</source>
        <translation>desvinculada</translation>
    </message>
    <message>
        <source>open</source>
        <translation>abierta</translation>
    </message>
    <message>
        <source>done</source>
        <translation>hecha</translation>
    </message>
    <message>
        <source>dropped</source>
        <translation>descartada</translation>
    </message>
    <message>
        <source>timeline</source>
        <translation>cronología</translation>
    </message>
    <message>
        <source>at most {n} lines</source>
        <translation>como máximo {n} líneas</translation>
    </message>
    <message>
        <source>action items</source>
        <translation>acciones</translation>
    </message>
    <message>
        <source>at most {n}</source>
        <translation>como máximo {n}</translation>
    </message>
    <message>
        <source>timeline line {n}</source>
        <translation>línea {n} de la cronología</translation>
    </message>
    <message>
        <source>action item {n}: what</source>
        <translation>acción {n}: qué</translation>
    </message>
    <message>
        <source>action item {n}: owner</source>
        <translation>acción {n}: responsable</translation>
    </message>
    <message>
        <source>action item {n}: status</source>
        <translation>acción {n}: estado</translation>
    </message>
    <message>
        <source>summary</source>
        <translation>resumen</translation>
    </message>
    <message>
        <source>users affected</source>
        <translation>usuarios afectados</translation>
    </message>
    <message>
        <source>services</source>
        <translation>servicios</translation>
    </message>
    <message>
        <source>root cause</source>
        <translation>causa raíz</translation>
    </message>
    <message>
        <source>contributing factors</source>
        <translation>factores contribuyentes</translation>
    </message>
    <message>
        <source>why monitoring did not detect it</source>
        <translation>por qué el monitoreo no lo detectó</translation>
    </message>
    <message>
        <source>corrective actions</source>
        <translation>acciones correctivas</translation>
    </message>
    <message>
        <source>service credit</source>
        <translation>crédito de servicio</translation>
    </message>
    <message>
        <source>must be written before it is finished</source>
        <translation>debe completarse antes de terminar</translation>
    </message>
    <message>
        <source>a customer told us first: say why we did not see it</source>
        <translation>un cliente nos avisó primero: explique por qué no lo vimos</translation>
    </message>
    <message>
        <source>at least one: what will we change?</source>
        <translation>al menos una: ¿qué vamos a cambiar?</translation>
    </message>
    <message>
        <source>follow-up date</source>
        <translation>fecha de seguimiento</translation>
    </message>
    <message>
        <source>must be set, 2 to 4 weeks from today</source>
        <translation>es obligatoria, entre 2 y 4 semanas a partir de hoy</translation>
    </message>
    <message>
        <source>must be 2 to 4 weeks from today: {earliest} to {latest}</source>
        <translation>debe estar entre 2 y 4 semanas a partir de hoy: del {earliest} al {latest}</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>Impact</source>
        <translation>Impacto</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Cronología</translation>
    </message>
    <message>
        <source>Root cause</source>
        <translation>Causa raíz</translation>
    </message>
    <message>
        <source>Contributing factors</source>
        <translation>Factores contribuyentes</translation>
    </message>
    <message>
        <source>Why didn&apos;t our monitoring detect this?</source>
        <translation>¿Por qué nuestro monitoreo no lo detectó?</translation>
    </message>
    <message>
        <source>Early warning signs</source>
        <translation>Señales de alerta temprana</translation>
    </message>
    <message>
        <source>Action items</source>
        <translation>Acciones</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>Seguimiento</translation>
    </message>
    <message>
        <source>Not written yet.</source>
        <translation>Aún sin redactar.</translation>
    </message>
    <message>
        <source>finished {time} by {who}</source>
        <translation>terminado el {time} por {who}</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>DRAFT, not finished</source>
        <translation>BORRADOR, sin terminar</translation>
    </message>
    <message>
        <source>{time} by {source}</source>
        <translation>{time} por {source}</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Incidente</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Severidad</translation>
    </message>
    <message>
        <source>Detected</source>
        <translation>Detectado</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Resuelto</translation>
    </message>
    <message>
        <source>Post-mortem</source>
        <translation>Post-mortem</translation>
    </message>
    <message>
        <source>Blameless</source>
        <translation>Sin culpables</translation>
    </message>
    <message>
        <source>This review looks for causes in systems and processes, not for people to blame.</source>
        <translation>Esta revisión busca causas en los sistemas y los procesos, no personas a quienes culpar.</translation>
    </message>
    <message>
        <source>not assessed</source>
        <translation>sin evaluar</translation>
    </message>
    <message>
        <source>{duration} (from {start} to resolution)</source>
        <translation>{duration} (desde {start} hasta la resolución)</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>Users affected</source>
        <translation>Usuarios afectados</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Servicios</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>sin registrar</translation>
    </message>
    <message>
        <source>Customers who called</source>
        <translation>Clientes que llamaron</translation>
    </message>
    <message>
        <source>No timeline lines.</source>
        <translation>La cronología no tiene líneas.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Qué pasó</translation>
    </message>
    <message>
        <source>Our monitoring detected it first.</source>
        <translation>Nuestro monitoreo lo detectó primero.</translation>
    </message>
    <message>
        <source>{state}, silenced</source>
        <translation>{state}, silenciada</translation>
    </message>
    <message>
        <source>{n} alert on the affected services in the 24 h before impact start. What did we ignore, and why?</source>
        <translation>{n} alerta en los servicios afectados en las 24 h previas al inicio del impacto. ¿Qué ignoramos y por qué?</translation>
    </message>
    <message>
        <source>{n} alerts on the affected services in the 24 h before impact start. What did we ignore, and why?</source>
        <translation>{n} alertas en los servicios afectados en las 24 h previas al inicio del impacto. ¿Qué ignoramos y por qué?</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Fuente</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alerta</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>No alert on the affected services in the 24 h before impact.</source>
        <translation>Ninguna alerta en los servicios afectados en las 24 h previas al impacto.</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Responsable</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Fecha límite</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>OVERDUE</source>
        <translation>VENCIDA</translation>
    </message>
    <message>
        <source>None yet.</source>
        <translation>Ninguna todavía.</translation>
    </message>
    <message>
        <source>No follow-up date set.</source>
        <translation>Sin fecha de seguimiento.</translation>
    </message>
    <message>
        <source>Follow-up review on {day}, held {time}</source>
        <translation>Revisión de seguimiento el {day}, realizada el {time}</translation>
    </message>
    <message>
        <source>Follow-up review on {day}</source>
        <translation>Revisión de seguimiento el {day}</translation>
    </message>
</context>
<context>
    <name>domain.report</name>
    <message>
        <source>Not recorded yet.</source>
        <translation>Aún sin registrar.</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>Quantified impact</source>
        <translation>Impacto cuantificado</translation>
    </message>
    <message>
        <source>Detection</source>
        <translation>Detección</translation>
    </message>
    <message>
        <source>SLA clocks</source>
        <translation>Relojes SLA</translation>
    </message>
    <message>
        <source>Root cause</source>
        <translation>Causa raíz</translation>
    </message>
    <message>
        <source>Corrective actions</source>
        <translation>Acciones correctivas</translation>
    </message>
    <message>
        <source>Preventive measures</source>
        <translation>Medidas preventivas</translation>
    </message>
    <message>
        <source>Service credit</source>
        <translation>Crédito de servicio</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Cronología</translation>
    </message>
    <message>
        <source>Pages sent</source>
        <translation>Notificaciones enviadas</translation>
    </message>
    <message>
        <source>MET</source>
        <translation>CUMPLIDO</translation>
    </message>
    <message>
        <source>BREACHED</source>
        <translation>INCUMPLIDO</translation>
    </message>
    <message>
        <source>RUNNING</source>
        <translation>EN CURSO</translation>
    </message>
    <message>
        <source>NOT REQUIRED</source>
        <translation>NO REQUERIDO</translation>
    </message>
    <message>
        <source>open</source>
        <translation>abierto</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>reconocido</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>resuelto</translation>
    </message>
    <message>
        <source>resolve</source>
        <translation>resolución</translation>
    </message>
    <message>
        <source>trigger</source>
        <translation>activación</translation>
    </message>
    <message>
        <source>acknowledge</source>
        <translation>reconocimiento</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>en cola</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>enviando</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>enviada</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>reintentando</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fallida</translation>
    </message>
    <message>
        <source>voice</source>
        <translation>voz</translation>
    </message>
    <message>
        <source>email</source>
        <translation>correo</translation>
    </message>
    <message>
        <source>Executive report</source>
        <translation>Reporte ejecutivo</translation>
    </message>
    <message>
        <source>{status} (false positive)</source>
        <translation>{status} (falso positivo)</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Incidente</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Título</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Severidad</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Detected by</source>
        <translation>Detectado por</translation>
    </message>
    <message>
        <source>Detected at</source>
        <translation>Hora de detección</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Reconocido</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Responsable</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>nadie</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Resuelto</translation>
    </message>
    <message>
        <source>our monitoring</source>
        <translation>nuestro monitoreo</translation>
    </message>
    <message>
        <source>our synthetic checks</source>
        <translation>nuestras pruebas sintéticas</translation>
    </message>
    <message>
        <source>a customer</source>
        <translation>un cliente</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>aún no</translation>
    </message>
    <message>
        <source>{time} by {who}</source>
        <translation>{time} por {who}</translation>
    </message>
    <message>
        <source>impact start</source>
        <translation>el inicio del impacto</translation>
    </message>
    <message>
        <source>detection (the impact&apos;s start is not known)</source>
        <translation>la detección (se desconoce el inicio del impacto)</translation>
    </message>
    <message>
        <source>{duration} (from {start} to resolution)</source>
        <translation>{duration} (desde {start} hasta la resolución)</translation>
    </message>
    <message>
        <source>{duration} so far, still {status} (from {start})</source>
        <translation>{duration} hasta ahora, aún {status} (desde {start})</translation>
    </message>
    <message>
        <source>not assessed</source>
        <translation>sin evaluar</translation>
    </message>
    <message>
        <source>not assessed (the incident&apos;s service: {service})</source>
        <translation>sin evaluar (servicio del incidente: {service})</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>Users affected</source>
        <translation>Usuarios afectados</translation>
    </message>
    <message>
        <source>Services affected</source>
        <translation>Servicios afectados</translation>
    </message>
    <message>
        <source>Business impact</source>
        <translation>Impacto en el negocio</translation>
    </message>
    <message>
        <source>Customers affected</source>
        <translation>Clientes afectados</translation>
    </message>
    <message>
        <source>no customer called</source>
        <translation>ningún cliente llamó</translation>
    </message>
    <message>
        <source>{n} call</source>
        <translation>{n} llamada</translation>
    </message>
    <message>
        <source>{n} calls</source>
        <translation>{n} llamadas</translation>
    </message>
    <message>
        <source>{n} organisation</source>
        <translation>{n} organización</translation>
    </message>
    <message>
        <source>{n} organisations</source>
        <translation>{n} organizaciones</translation>
    </message>
    <message>
        <source>{calls} from {organisations}</source>
        <translation>{calls} de {organisations}</translation>
    </message>
    <message>
        <source>{n} call without an organisation</source>
        <translation>{n} llamada sin organización</translation>
    </message>
    <message>
        <source>{n} calls without an organisation</source>
        <translation>{n} llamadas sin organización</translation>
    </message>
    <message>
        <source>{calls} from {organisations} ({unnamed})</source>
        <translation>{calls} de {organisations} ({unnamed})</translation>
    </message>
    <message>
        <source>Detected first by</source>
        <translation>Detectado primero por</translation>
    </message>
    <message>
        <source>Our monitoring saw it</source>
        <translation>Nuestro monitoreo lo detectó</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>First customer call</source>
        <translation>Primera llamada de cliente</translation>
    </message>
    <message>
        <source>Time to detect</source>
        <translation>Tiempo de detección</translation>
    </message>
    <message>
        <source>{duration} after the impact began</source>
        <translation>{duration} después del inicio del impacto</translation>
    </message>
    <message>
        <source>Our monitoring found it; no customer called about it.</source>
        <translation>Lo detectó nuestro monitoreo; ningún cliente llamó por esto.</translation>
    </message>
    <message>
        <source>A customer found it: our monitoring never detected it.</source>
        <translation>Lo detectó un cliente: nuestro monitoreo nunca lo detectó.</translation>
    </message>
    <message>
        <source>Found by {who}; no customer called about it.</source>
        <translation>Detectado por {who}; ningún cliente llamó por esto.</translation>
    </message>
    <message>
        <source>{detail} (breach recorded)</source>
        <translation>{detail} (incumplimiento registrado)</translation>
    </message>
    <message>
        <source>target {duration}</source>
        <translation>objetivo {duration}</translation>
    </message>
    <message>
        <source>acknowledged {took} after detection ({target})</source>
        <translation>reconocido {took} después de la detección ({target})</translation>
    </message>
    <message>
        <source>assessed {took} after detection ({target})</source>
        <translation>evaluado {took} después de la detección ({target})</translation>
    </message>
    <message>
        <source>never acknowledged; resolved {waited} after detection ({target})</source>
        <translation>nunca reconocido; resuelto {waited} después de la detección ({target})</translation>
    </message>
    <message>
        <source>never assessed; resolved {waited} after detection ({target})</source>
        <translation>nunca evaluado; resuelto {waited} después de la detección ({target})</translation>
    </message>
    <message>
        <source>acknowledged ({target})</source>
        <translation>reconocido ({target})</translation>
    </message>
    <message>
        <source>not acknowledged yet, {waited} after detection ({target})</source>
        <translation>aún sin reconocer, {waited} después de la detección ({target})</translation>
    </message>
    <message>
        <source>not assessed yet, {waited} after detection ({target})</source>
        <translation>aún sin evaluar, {waited} después de la detección ({target})</translation>
    </message>
    <message>
        <source>no customer involved and not major or above</source>
        <translation>sin clientes involucrados y de severidad inferior a mayor</translation>
    </message>
    <message>
        <source>{n} update sent</source>
        <translation>{n} actualización enviada</translation>
    </message>
    <message>
        <source>{n} updates sent</source>
        <translation>{n} actualizaciones enviadas</translation>
    </message>
    <message>
        <source>due every {duration}</source>
        <translation>vence cada {duration}</translation>
    </message>
    <message>
        <source>{n} deadline missed</source>
        <translation>{n} plazo incumplido</translation>
    </message>
    <message>
        <source>{n} deadlines missed</source>
        <translation>{n} plazos incumplidos</translation>
    </message>
    <message>
        <source>{sent}, {missed}, longest gap {gap} ({every})</source>
        <translation>{sent}, {missed}, intervalo más largo {gap} ({every})</translation>
    </message>
    <message>
        <source>{sent}, longest gap {gap} ({every})</source>
        <translation>{sent}, intervalo más largo {gap} ({every})</translation>
    </message>
    <message>
        <source>{on_time} of {n} caller acknowledged within {target}</source>
        <translation>reconocida dentro de {target}: {on_time} de {n} persona que llamó</translation>
    </message>
    <message>
        <source>{on_time} of {n} callers acknowledged within {target}</source>
        <translation>reconocidas dentro de {target}: {on_time} de {n} personas que llamaron</translation>
    </message>
    <message>
        <source>{detail}; {late} late or never</source>
        <translation>{detail}; {late} tarde o nunca</translation>
    </message>
    <message>
        <source>Every SLA clock was met.</source>
        <translation>Se cumplieron todos los relojes SLA.</translation>
    </message>
    <message>
        <source>{n} SLA clock breached.</source>
        <translation>{n} reloj SLA incumplido.</translation>
    </message>
    <message>
        <source>{n} SLA clocks breached.</source>
        <translation>{n} relojes SLA incumplidos.</translation>
    </message>
    <message>
        <source>No SLA clock breached so far; some are still running.</source>
        <translation>Ningún reloj SLA incumplido hasta ahora; algunos siguen en curso.</translation>
    </message>
    <message>
        <source>Recorded breach</source>
        <translation>Incumplimiento registrado</translation>
    </message>
    <message>
        <source>Was due</source>
        <translation>Vencía</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>Registrado</translation>
    </message>
    <message>
        <source>Also breached: {clocks}.</source>
        <translation>También incumplidos: {clocks}.</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Acción</translation>
    </message>
    <message>
        <source>no owner yet</source>
        <translation>aún sin responsable</translation>
    </message>
    <message>
        <source>no date yet</source>
        <translation>aún sin fecha</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>Medida</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Vence</translation>
    </message>
    <message>
        <source>No timeline entries.</source>
        <translation>Sin entradas en la cronología.</translation>
    </message>
    <message>
        <source>The first {shown} of {total} key entries; `noc-console show` lists all.</source>
        <translation>Las primeras {shown} de {total} entradas clave; `noc-console show` las lista todas.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Quién</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <source>Nobody was paged.</source>
        <translation>No se notificó a nadie.</translation>
    </message>
    <message>
        <source>{channel} via {provider}</source>
        <translation>{channel} vía {provider}</translation>
    </message>
    <message>
        <source>{n} page, {sent} sent.</source>
        <translation>{n} notificación; enviadas: {sent}.</translation>
    </message>
    <message>
        <source>{n} pages, {sent} sent.</source>
        <translation>{n} notificaciones; enviadas: {sent}.</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Para</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Medio</translation>
    </message>
</context>
<context>
    <name>domain.severity</name>
    <message>
        <source>CRITICAL</source>
        <translation>CRÍTICA</translation>
    </message>
    <message>
        <source>MAJOR</source>
        <translation>MAYOR</translation>
    </message>
    <message>
        <source>MINOR</source>
        <translation>MENOR</translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation>AVISO</translation>
    </message>
    <message>
        <source>INFO</source>
        <translation>INFO</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>crítica</translation>
    </message>
    <message>
        <source>major</source>
        <translation>mayor</translation>
    </message>
    <message>
        <source>minor</source>
        <translation>menor</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>aviso</translation>
    </message>
    <message>
        <source>info</source>
        <translation>info</translation>
    </message>
</context>
<context>
    <name>domain.sla</name>
    <message>
        <source>Acknowledge</source>
        <translation>Reconocer</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>Evaluación inicial</translation>
    </message>
    <message>
        <source>Customer update</source>
        <translation>Actualización al cliente</translation>
    </message>
    <message>
        <source>Post-mortem</source>
        <translation>Post-mortem</translation>
    </message>
    <message>
        <source>Exec report</source>
        <translation>Reporte ejecutivo</translation>
    </message>
    <message>
        <source>Caller acknowledge</source>
        <translation>Reconocer a quien llama</translation>
    </message>
</context>
<context>
    <name>domain.wall</name>
    <message>
        <source>BLIND: {source}, no data yet: {reason}</source>
        <translation>SIN DATOS: {source}, aún no reporta: {reason}</translation>
    </message>
    <message>
        <source>BLIND: {source}, no data yet</source>
        <translation>SIN DATOS: {source}, aún no reporta</translation>
    </message>
    <message>
        <source>BLIND: {source}, no data for {age}: {reason}</source>
        <translation>SIN DATOS: {source}, desde hace {age}: {reason}</translation>
    </message>
    <message>
        <source>BLIND: {source}, no data for {age}</source>
        <translation>SIN DATOS: {source}, desde hace {age}</translation>
    </message>
    <message>
        <source>DEGRADED: {source}, {warning}</source>
        <translation>DEGRADADA: {source}, {warning}</translation>
    </message>
    <message>
        <source>Detected by us today: no incidents yet</source>
        <translation>Detección propia hoy: aún sin incidentes</translation>
    </message>
    <message>
        <source>Detected by us today: {percent} % ({internal} of {total})</source>
        <translation>Detección propia hoy: {percent} % ({internal} de {total})</translation>
    </message>
    <message>
        <source>Post-mortem #{id} OVERDUE by {late} · {count} owed</source>
        <translation>Post-mortem #{id} VENCIDO hace {late} · pendientes: {count}</translation>
    </message>
    <message>
        <source>Post-mortems owed: {count} · #{id} due in {left}</source>
        <translation>Post-mortems pendientes: {count} · #{id} vence en {left}</translation>
    </message>
</context>
<context>
    <name>domain.writeback</name>
    <message>
        <source>unknown error</source>
        <translation>error desconocido</translation>
    </message>
    <message>
        <source>{where}: FAILED after {attempts} attempt(s): {error}</source>
        <translation>{where}: FALLÓ tras {attempts} intento(s): {error}</translation>
    </message>
    <message>
        <source>{where}: not acknowledged (the alert cleared first)</source>
        <translation>{where}: no reconocida (la alerta se despejó antes)</translation>
    </message>
    <message>
        <source>{where}: silence expired (the alert cleared)</source>
        <translation>{where}: silencio vencido (la alerta se despejó)</translation>
    </message>
    <message>
        <source>{where}: acknowledged (silence {id})</source>
        <translation>{where}: reconocida (silencio {id})</translation>
    </message>
    <message>
        <source>{where}: acknowledged</source>
        <translation>{where}: reconocida</translation>
    </message>
    <message>
        <source>{where}: failing ({error}), next try in {wait}</source>
        <translation>{where}: con fallas ({error}), próximo intento en {wait}</translation>
    </message>
    <message>
        <source>{where}: acknowledge pending</source>
        <translation>{where}: reconocimiento pendiente</translation>
    </message>
</context>
<context>
    <name>report_render</name>
    <message>
        <source>Incident #{id}: {title}</source>
        <translation>Incidente #{id}: {title}</translation>
    </message>
    <message>
        <source>en</source>
        <translation>es</translation>
    </message>
    <message>
        <source>Generated {time} by NOC Console</source>
        <translation>Generado el {time} por NOC Console</translation>
    </message>
    <message>
        <source>{kind}: incident #{id}: {title}</source>
        <translation>{kind}: incidente #{id}: {title}</translation>
    </message>
    <message>
        <source>{file}: the file must end in .pdf or .html</source>
        <translation>{file}: el archivo debe terminar en .pdf o .html</translation>
    </message>
    <message>
        <source>{file}: Qt wrote no PDF</source>
        <translation>{file}: Qt no escribió ningún PDF</translation>
    </message>
</context>
<context>
    <name>store.actions</name>
    <message>
        <source>{outcome}: {title}</source>
        <translation>{outcome}: {title}</translation>
    </message>
    <message>
        <source>{outcome} (false positive): {title}</source>
        <translation>{outcome} (falso positivo): {title}</translation>
    </message>
    <message>
        <source>#{id} assigned to {to}</source>
        <translation>#{id} asignado a {to}</translation>
    </message>
    <message>
        <source>#{id} note added by {by}</source>
        <translation>#{id}: nota agregada por {by}</translation>
    </message>
    <message>
        <source>#{id} assessment recorded by {by}</source>
        <translation>#{id}: evaluación registrada por {by}</translation>
    </message>
    <message>
        <source>#{id} customer update logged ({channel}) by {by}</source>
        <translation>#{id}: actualización al cliente registrada ({channel}) por {by}</translation>
    </message>
    <message>
        <source>Not paged: no escalation policy {policy}</source>
        <translation>No se notificó: no existe la política de escalamiento {policy}</translation>
    </message>
    <message>
        <source>Not paged: no escalation policy applies to #{id}; choose one</source>
        <translation>No se notificó: ninguna política de escalamiento aplica a #{id}; elija una</translation>
    </message>
    <message>
        <source>#{id}: {policy} is already paging (since {time})</source>
        <translation>#{id}: {policy} ya está notificando (desde las {time})</translation>
    </message>
    <message>
        <source>#{id}: paging with {policy}</source>
        <translation>#{id}: notificando con {policy}</translation>
    </message>
</context>
<context>
    <name>store.maintenance</name>
    <message>
        <source>no maintenance window {id}</source>
        <translation>no existe la ventana de mantenimiento {id}</translation>
    </message>
    <message>
        <source>maintenance window {id} is over already (since {when})</source>
        <translation>la ventana de mantenimiento {id} ya terminó (desde {when})</translation>
    </message>
</context>
<context>
    <name>store.repository</name>
    <message>
        <source>someone</source>
        <translation>alguien</translation>
    </message>
    <message>
        <source>#{id} had already resolved at {at} ({who}): marked as reviewed by {by}</source>
        <translation>#{id} ya se había resuelto el {at} ({who}): marcado como revisado por {by}</translation>
    </message>
    <message>
        <source>#{id} resolved by {by}</source>
        <translation>#{id} resuelto por {by}</translation>
    </message>
    <message>
        <source>#{id} acknowledged by {by}</source>
        <translation>#{id} reconocido por {by}</translation>
    </message>
    <message>
        <source>#{id} was already resolved at {at} by {who}</source>
        <translation>#{id} ya había sido resuelto el {at} por {who}</translation>
    </message>
    <message>
        <source>#{id} was already acknowledged at {at} by {who}</source>
        <translation>#{id} ya había sido reconocido el {at} por {who}</translation>
    </message>
    <message>
        <source>#{id} is {status}</source>
        <translation>#{id} está {status}</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>nadie</translation>
    </message>
    <message>
        <source>#{id} was assigned to {to} meanwhile: not changed</source>
        <translation>#{id} fue asignado a {to} mientras tanto: sin cambios</translation>
    </message>
    <message>
        <source>#{id} was assigned to {to} by {by} at {at} meanwhile: not changed</source>
        <translation>#{id} fue asignado a {to} por {by} el {at} mientras tanto: sin cambios</translation>
    </message>
    <message>
        <source>{users} users affected</source>
        <translation>{users} usuarios afectados</translation>
    </message>
    <message>
        <source>services: {services}</source>
        <translation>servicios: {services}</translation>
    </message>
    <message>
        <source>impact: {impact}</source>
        <translation>impacto: {impact}</translation>
    </message>
    <message>
        <source>no figures</source>
        <translation>sin cifras</translation>
    </message>
    <message>
        <source>#{id} was assessed meanwhile ({state}): not changed</source>
        <translation>#{id} fue evaluado mientras tanto ({state}): sin cambios</translation>
    </message>
    <message>
        <source>#{id} was assessed by {by} at {at} meanwhile ({state}): not changed</source>
        <translation>#{id} fue evaluado por {by} el {at} mientras tanto ({state}): sin cambios</translation>
    </message>
</context>
<context>
    <name>ui.action_dialogs</name>
    <message>
        <source>Assign to</source>
        <translation>Asignar a</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <source>Users affected</source>
        <translation>Usuarios afectados</translation>
    </message>
    <message>
        <source>Services affected</source>
        <translation>Servicios afectados</translation>
    </message>
    <message>
        <source>Business impact</source>
        <translation>Impacto en el negocio</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>Evaluación</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operador</translation>
    </message>
    <message>
        <source>{action} · #{id}</source>
        <translation>{action} · #{id}</translation>
    </message>
    <message>
        <source>{field}: {problem}</source>
        <translation>{field}: {problem}</translation>
    </message>
    <message>
        <source>{hint} (at most {limit} characters)</source>
        <translation>{hint} (máximo {limit} caracteres)</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Asignar</translation>
    </message>
    <message>
        <source>who has it from now on</source>
        <translation>quién lo atiende a partir de ahora</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <source>what the next person needs to know</source>
        <translation>lo que la próxima persona necesita saber</translation>
    </message>
    <message>
        <source>Initial assessment</source>
        <translation>Evaluación inicial</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>what is known so far</source>
        <translation>lo que se sabe hasta ahora</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>Customer update</source>
        <translation>Actualización al cliente</translation>
    </message>
    <message>
        <source>what the customers were told</source>
        <translation>lo que se les informó a los clientes</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Actualización</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Resolver</translation>
    </message>
    <message>
        <source>what fixed it (optional)</source>
        <translation>qué lo solucionó (opcional)</translation>
    </message>
    <message>
        <source>False positive: nothing was wrong (the metrics count it)</source>
        <translation>Falso positivo: no había ningún problema (cuenta en las métricas)</translation>
    </message>
    <message>
        <source>{n} alert still fires: if it still does at the next fetch, it opens a new incident.</source>
        <translation>{n} alerta sigue activa: si aún lo está en la próxima consulta, abrirá un nuevo incidente.</translation>
    </message>
    <message>
        <source>{n} alerts still fire: if they still do at the next fetch, they open a new incident.</source>
        <translation>{n} alertas siguen activas: si aún lo están en la próxima consulta, abrirán un nuevo incidente.</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>Notificar</translation>
    </message>
    <message>
        <source>The policy for its service and severity</source>
        <translation>La política de su servicio y severidad</translation>
    </message>
    <message>
        <source>Escalation policy</source>
        <translation>Política de escalamiento</translation>
    </message>
    <message>
        <source>The poller sends the pages; they stop the moment someone acknowledges.</source>
        <translation>El recolector envía las notificaciones; se detienen en cuanto alguien reconoce el incidente.</translation>
    </message>
</context>
<context>
    <name>ui.actions</name>
    <message>
        <source>Could not acknowledge #{id}: {error}</source>
        <translation>No se pudo reconocer #{id}: {error}</translation>
    </message>
    <message>
        <source>Could not assign #{id}: {error}</source>
        <translation>No se pudo asignar #{id}: {error}</translation>
    </message>
    <message>
        <source>Could not note #{id}: {error}</source>
        <translation>No se pudo agregar la nota a #{id}: {error}</translation>
    </message>
    <message>
        <source>Could not assess #{id}: {error}</source>
        <translation>No se pudo evaluar #{id}: {error}</translation>
    </message>
    <message>
        <source>Could not update #{id}: {error}</source>
        <translation>No se pudo enviar la actualización al cliente de #{id}: {error}</translation>
    </message>
    <message>
        <source>Could not resolve #{id}: {error}</source>
        <translation>No se pudo resolver #{id}: {error}</translation>
    </message>
    <message>
        <source>Could not page #{id}: {error}</source>
        <translation>No se pudieron enviar las notificaciones de #{id}: {error}</translation>
    </message>
    <message>
        <source>person: {name} saved</source>
        <translation>persona: {name} guardada</translation>
    </message>
    <message>
        <source>schedule: {name} saved</source>
        <translation>calendario de guardias: {name} guardado</translation>
    </message>
    <message>
        <source>policy: {name} saved</source>
        <translation>política: {name} guardada</translation>
    </message>
    <message>
        <source>Not done: {error}</source>
        <translation>No se realizó: {error}</translation>
    </message>
    <message>
        <source>Incident #{id} no longer exists</source>
        <translation>El incidente #{id} ya no existe</translation>
    </message>
    <message>
        <source>Could not read the timeline of #{id}: {error}</source>
        <translation>No se pudo leer la línea de tiempo de #{id}: {error}</translation>
    </message>
    <message>
        <source>Could not read the history of check {check}: {error}</source>
        <translation>No se pudo leer el historial del chequeo {check}: {error}</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>No se guardó: {error}</translation>
    </message>
    <message>
        <source>{name} removed</source>
        <translation>Se eliminó a {name}</translation>
    </message>
</context>
<context>
    <name>ui.alarm_player</name>
    <message>
        <source>no audio output device</source>
        <translation>no hay dispositivo de salida de audio</translation>
    </message>
    <message>
        <source>the audio device refused the {kind} alarm sound</source>
        <translation>el dispositivo de audio rechazó el sonido de alarma ({kind})</translation>
    </message>
    <message>
        <source>alarm sounds missing: {files}</source>
        <translation>faltan sonidos de alarma: {files}</translation>
    </message>
</context>
<context>
    <name>ui.alarm_widgets</name>
    <message>
        <source>MUTED until {time} — alarms on this console are silent · M unmutes</source>
        <translation>SILENCIO hasta {time} — las alarmas de esta consola no suenan · M las reactiva</translation>
    </message>
    <message>
        <source>⚠ NO AUDIO: alarms are visual only — {problem}</source>
        <translation>⚠ SIN AUDIO: las alarmas son solo visuales — {problem}</translation>
    </message>
    <message>
        <source>⚠ TEST ALARM — no sound can play here: this flashing is what an alarm looks like</source>
        <translation>⚠ PRUEBA DE ALARMA — aquí no puede sonar nada: así se ve una alarma, parpadeando</translation>
    </message>
    <message>
        <source>⚠ ALARM, NO SOUND: {alarm}</source>
        <translation>⚠ ALARMA SIN SONIDO: {alarm}</translation>
    </message>
    <message>
        <source>Test alarm</source>
        <translation>Probar alarma</translation>
    </message>
    <message>
        <source>Mute {minutes} min</source>
        <translation>Silenciar {minutes} min</translation>
    </message>
    <message>
        <source>Unmute  [M]</source>
        <translation>Reactivar  [M]</translation>
    </message>
    <message>
        <source>Mute {minutes} min / unmute</source>
        <translation>Silenciar {minutes} min / reactivar</translation>
    </message>
    <message>
        <source>Test alarm: the critical sound plays for 3 s</source>
        <translation>Prueba de alarma: el sonido crítico suena durante 3 s</translation>
    </message>
    <message>
        <source>Test alarm: NO AUDIO ({problem}) — alarms are visual only</source>
        <translation>Prueba de alarma: SIN AUDIO ({problem}) — las alarmas son solo visuales</translation>
    </message>
    <message>
        <source>Alarms muted until {time}</source>
        <translation>Alarmas silenciadas hasta {time}</translation>
    </message>
    <message>
        <source>Alarms unmuted</source>
        <translation>Alarmas reactivadas</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>Silenciar</translation>
    </message>
    <message>
        <source>Mute  [M]</source>
        <translation>Silenciar  [M]</translation>
    </message>
</context>
<context>
    <name>ui.call_desk</name>
    <message>
        <source>This desk cannot keep unsent calls ({error}); calls need the database</source>
        <translation>Este puesto no puede conservar llamadas sin enviar ({error}); las llamadas necesitan la base de datos</translation>
    </message>
    <message>
        <source>NOT SAVED: {error} not saved on this desk ({disk_error})</source>
        <translation>NO SE GUARDÓ: {error}; tampoco se guardó en este puesto ({disk_error})</translation>
    </message>
    <message>
        <source>NOT SAVED: {error}</source>
        <translation>NO SE GUARDÓ: {error}</translation>
    </message>
    <message>
        <source>That call is not in the database yet (it is still on this desk)</source>
        <translation>Esa llamada aún no está en la base de datos (sigue en este puesto)</translation>
    </message>
    <message>
        <source>Could not acknowledge the caller: {error}</source>
        <translation>No se pudo reconocer a la persona que llama: {error}</translation>
    </message>
    <message>
        <source>(already acknowledged by {who}) {text}</source>
        <translation>(llamada ya reconocida por {who}) {text}</translation>
    </message>
</context>
<context>
    <name>ui.call_form</name>
    <message>
        <source>caller</source>
        <translation>persona que llama</translation>
    </message>
    <message>
        <source>org</source>
        <translation>organización</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>teléfono</translation>
    </message>
    <message>
        <source>callback</source>
        <translation>forma de respuesta</translation>
    </message>
    <message>
        <source>service</source>
        <translation>servicio</translation>
    </message>
    <message>
        <source>summary</source>
        <translation>qué ven</translation>
    </message>
    <message>
        <source>started at</source>
        <translation>inicio</translation>
    </message>
    <message>
        <source>users affected</source>
        <translation>usuarios afectados</translation>
    </message>
    <message>
        <source>impact</source>
        <translation>impacto</translation>
    </message>
    <message>
        <source>call_id</source>
        <translation>ID de llamada</translation>
    </message>
    <message>
        <source>by</source>
        <translation>registrada por</translation>
    </message>
    <message>
        <source>placement</source>
        <translation>destino de la llamada</translation>
    </message>
    <message>
        <source>attach_to</source>
        <translation>incidente a vincular</translation>
    </message>
    <message>
        <source>severity</source>
        <translation>severidad</translation>
    </message>
    <message>
        <source>title</source>
        <translation>título</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Ninguno</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>Degradado</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Caído</translation>
    </message>
    <message>
        <source>engineers on it since {time} ({owner})</source>
        <translation>ingenieros trabajando desde las {time} ({owner})</translation>
    </message>
    <message>
        <source>engineers on it since {time}</source>
        <translation>ingenieros trabajando desde las {time}</translation>
    </message>
    <message>
        <source>NOT yet acknowledged, detected {time}</source>
        <translation>AÚN SIN reconocer, detectado a las {time}</translation>
    </message>
    <message>
        <source>no service</source>
        <translation>sin servicio</translation>
    </message>
    <message>
        <source>Full name as the caller gives it</source>
        <translation>Nombre completo tal como lo dice la persona</translation>
    </message>
    <message>
        <source>Their company or team (optional)</source>
        <translation>Su empresa o equipo (opcional)</translation>
    </message>
    <message>
        <source>+44 7700 900123, or national</source>
        <translation>+44 7700 900123, o nacional</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Devolver la llamada</translation>
    </message>
    <message>
        <source>Text message</source>
        <translation>Mensaje de texto</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Correo electrónico</translation>
    </message>
    <message>
        <source>No callback</source>
        <translation>No devolver la llamada</translation>
    </message>
    <message>
        <source>Pick or type the service</source>
        <translation>Elija o escriba el servicio</translation>
    </message>
    <message>
        <source>What they see, in their words</source>
        <translation>Qué ven, en sus palabras</translation>
    </message>
    <message>
        <source>10:42, 25 min ago, or blank</source>
        <translation>10:42, hace 25 min o en blanco</translation>
    </message>
    <message>
        <source>How many of their users (blank: unknown)</source>
        <translation>Cuántos de sus usuarios (en blanco: se desconoce)</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
    <message>
        <source>Caller *</source>
        <translation>Persona que llama *</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>Organización</translation>
    </message>
    <message>
        <source>Phone *</source>
        <translation>Teléfono *</translation>
    </message>
    <message>
        <source>Callback</source>
        <translation>Responder por</translation>
    </message>
    <message>
        <source>Service *</source>
        <translation>Servicio *</translation>
    </message>
    <message>
        <source>What they see *</source>
        <translation>Qué ven *</translation>
    </message>
    <message>
        <source>Started for them</source>
        <translation>Cuándo empezó</translation>
    </message>
    <message>
        <source>Users affected</source>
        <translation>Usuarios afectados</translation>
    </message>
    <message>
        <source>Business impact</source>
        <translation>Impacto en el negocio</translation>
    </message>
    <message>
        <source>Save call</source>
        <translation>Guardar llamada</translation>
    </message>
    <message>
        <source>After saving: what to read out to the caller</source>
        <translation>Después de guardar: lo que debe leerle a la persona que llama</translation>
    </message>
    <message>
        <source>Caller told (Ctrl+K)</source>
        <translation>Persona informada (Ctrl+K)</translation>
    </message>
    <message>
        <source>Do we already know?</source>
        <translation>¿Ya lo sabemos?</translation>
    </message>
    <message>
        <source>New incident severity:</source>
        <translation>Severidad del nuevo incidente:</translation>
    </message>
    <message>
        <source>Customer phone report</source>
        <translation>Reporte telefónico de cliente</translation>
    </message>
    <message>
        <source>Why: {reasons}</source>
        <translation>Por qué: {reasons}</translation>
    </message>
    <message>
        <source>+ New customer-detected incident</source>
        <translation>+ Nuevo incidente detectado por cliente</translation>
    </message>
    <message>
        <source>+ New customer-detected incident — suggested: {service} ({service_confidence}), {severity} ({severity_confidence})</source>
        <translation>+ Nuevo incidente detectado por cliente — sugerido: {service} ({service_confidence}), {severity} ({severity_confidence})</translation>
    </message>
    <message>
        <source>Save call — new incident</source>
        <translation>Guardar llamada — nuevo incidente</translation>
    </message>
    <message>
        <source>Save call — attach to #{id}</source>
        <translation>Guardar llamada — vincular a #{id}</translation>
    </message>
    <message>
        <source>must be a whole number from 0 up, or blank</source>
        <translation>debe ser un número entero desde 0, o quedar en blanco</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <source>Not saved: {field}: {problem}</source>
        <translation>No se guardó: {field}: {problem}</translation>
    </message>
    <message>
        <source>Not saved: check {field}</source>
        <translation>No se guardó: revise {field}</translation>
    </message>
    <message>
        <source>Saved as typed, but {doubt}</source>
        <translation>Se guardará tal como está, pero {doubt}</translation>
    </message>
    <message>
        <source>Stored as {phone}</source>
        <translation>Se guarda como {phone}</translation>
    </message>
    <message>
        <source>Saved on this desk, will sync: {why}</source>
        <translation>Guardada en este puesto, se sincronizará: {why}</translation>
    </message>
    <message>
        <source>Saved on this desk — sending to the database…</source>
        <translation>Guardada en este puesto — enviando a la base de datos…</translation>
    </message>
    <message>
        <source>Logged: attached to #{id} ({note}). Read the text below to the caller.</source>
        <translation>Registrada: vinculada a #{id} ({note}). Lea el texto de abajo a la persona que llama.</translation>
    </message>
    <message>
        <source>Logged: attached to #{id}. Read the text below to the caller.</source>
        <translation>Registrada: vinculada a #{id}. Lea el texto de abajo a la persona que llama.</translation>
    </message>
    <message>
        <source>Logged: new customer-detected incident #{id} ({note}). Read the text below to the caller.</source>
        <translation>Registrada: nuevo incidente detectado por cliente #{id} ({note}). Lea el texto de abajo a la persona que llama.</translation>
    </message>
    <message>
        <source>Logged: new customer-detected incident #{id}. Read the text below to the caller.</source>
        <translation>Registrada: nuevo incidente detectado por cliente #{id}. Lea el texto de abajo a la persona que llama.</translation>
    </message>
    <message>
        <source>{n} call saved on this desk, will sync: {why}</source>
        <translation>{n} llamada guardada en este puesto, se sincronizará: {why}</translation>
    </message>
    <message>
        <source>{n} calls saved on this desk, will sync: {why}</source>
        <translation>{n} llamadas guardadas en este puesto, se sincronizarán: {why}</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>reintentando</translation>
    </message>
    <message>
        <source>Caller acknowledged: their clock is closed.</source>
        <translation>Persona que llama reconocida: su reloj quedó cerrado.</translation>
    </message>
    <message>
        <source>Restored the call you were typing before the console closed.</source>
        <translation>Se restauró la llamada que estaba escribiendo antes de que se cerrara la consola.</translation>
    </message>
</context>
<context>
    <name>ui.chart_plots</name>
    <message>
        <source>Save PNG…</source>
        <translation>Guardar PNG…</translation>
    </message>
    <message>
        <source>Save CSV…</source>
        <translation>Guardar CSV…</translation>
    </message>
    <message>
        <source>Save this chart as {format}</source>
        <translation>Guardar este gráfico como {format}</translation>
    </message>
    <message>
        <source>goal {goal}</source>
        <translation>meta {goal}</translation>
    </message>
    <message>
        <source>Detected internally vs by customers</source>
        <translation>Detectados internamente vs. por clientes</translation>
    </message>
    <message>
        <source>incidents</source>
        <translation>incidentes</translation>
    </message>
    <message>
        <source>detected internally</source>
        <translation>detectados internamente</translation>
    </message>
    <message>
        <source>by customers</source>
        <translation>por clientes</translation>
    </message>
    <message>
        <source>% internal</source>
        <translation>% interno</translation>
    </message>
    <message>
        <source>MTTD and MTTA, minutes</source>
        <translation>MTTD y MTTA, minutos</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>minutos</translation>
    </message>
    <message>
        <source>MTTD: impact start to detection</source>
        <translation>MTTD: del inicio del impacto a la detección</translation>
    </message>
    <message>
        <source>MTTA: detection to acknowledge</source>
        <translation>MTTA: de la detección al reconocimiento</translation>
    </message>
    <message>
        <source>False positives, % of internally detected</source>
        <translation>Falsos positivos, % de los detectados internamente</translation>
    </message>
    <message>
        <source>Coverage per service</source>
        <translation>Cobertura por servicio</translation>
    </message>
    <message>
        <source>{pct} of {n}</source>
        <translation>{pct} de {n}</translation>
    </message>
    <message>
        <source>no incidents</source>
        <translation>sin incidentes</translation>
    </message>
    <message>
        <source>worst {shown} of {total}</source>
        <translation>los {shown} peores de {total}</translation>
    </message>
    <message>
        <source>worst first</source>
        <translation>peores primero</translation>
    </message>
</context>
<context>
    <name>ui.chart_series</name>
    <message>
        <source>n/a</source>
        <translation>n/d</translation>
    </message>
    <message>
        <source>(no service)</source>
        <translation>(sin servicio)</translation>
    </message>
    <message>
        <source>{service} (critical)</source>
        <translation>{service} (crítico)</translation>
    </message>
    <message>
        <source>{service}, UNMONITORED (no source or check maps to it)</source>
        <translation>{service}, SIN MONITOREO (ninguna fuente ni chequeo lo cubre)</translation>
    </message>
    <message>
        <source>{service} · UNMONITORED</source>
        <translation>{service} · SIN MONITOREO</translation>
    </message>
    <message>
        <source>week of {day}</source>
        <translation>semana del {day}</translation>
    </message>
    <message>
        <source>{n} incident</source>
        <translation>{n} incidente</translation>
    </message>
    <message>
        <source>{n} incidents</source>
        <translation>{n} incidentes</translation>
    </message>
    <message>
        <source>{bucket} (only part of it in the range)</source>
        <translation>{bucket} (solo una parte dentro del rango)</translation>
    </message>
    <message>
        <source>{bucket}: no incidents</source>
        <translation>{bucket}: sin incidentes</translation>
    </message>
    <message>
        <source>{bucket}: {incidents}, {internal} internal, {customers} by customers, MTTD {mttd}, MTTA {mtta}, false positives {false_positives}</source>
        <translation>{bucket}: {incidents}, {internal} internos, {customers} por clientes, MTTD {mttd}, MTTA {mtta}, falsos positivos {false_positives}</translation>
    </message>
    <message>
        <source>{service}: no incidents</source>
        <translation>{service}: sin incidentes</translation>
    </message>
    <message>
        <source>{service}: {incidents}, {customers} by customers, {internal} internal, MTTD {mttd}</source>
        <translation>{service}: {incidents}, {customers} por clientes, {internal} internos, MTTD {mttd}</translation>
    </message>
    <message>
        <source>goal {goal}</source>
        <translation>meta {goal}</translation>
    </message>
    <message>
        <source>meets the {goal} goal</source>
        <translation>cumple la meta de {goal}</translation>
    </message>
    <message>
        <source>BELOW the {goal} goal</source>
        <translation>POR DEBAJO de la meta de {goal}</translation>
    </message>
    <message>
        <source>Detected internally</source>
        <translation>Detectados internamente</translation>
    </message>
    <message>
        <source>impact start to detection</source>
        <translation>del inicio del impacto a la detección</translation>
    </message>
    <message>
        <source>detection to acknowledge</source>
        <translation>de la detección al reconocimiento</translation>
    </message>
    <message>
        <source>detection to resolve</source>
        <translation>de la detección a la resolución</translation>
    </message>
    <message>
        <source>False positives</source>
        <translation>Falsos positivos</translation>
    </message>
    <message>
        <source>of internally detected</source>
        <translation>de los detectados internamente</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>Incidentes</translation>
    </message>
    <message>
        <source>{n} reported by customers</source>
        <translation>reportados por clientes: {n}</translation>
    </message>
    <message>
        <source>{service} (critical): {reason}</source>
        <translation>{service} (crítico): {reason}</translation>
    </message>
    <message>
        <source>Blind spots: {gaps}</source>
        <translation>Puntos ciegos: {gaps}</translation>
    </message>
</context>
<context>
    <name>ui.charts</name>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Imagen PNG (*.png)</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>Tabla CSV (*.csv)</translation>
    </message>
    <message>
        <source>Point at a bar or a point to read its figures. Hatched bars and hollow points: the range holds only part of that day or week.</source>
        <translation>Apunte a una barra o a un punto para leer sus cifras. Barras rayadas y puntos huecos: el rango abarca solo parte de ese día o semana.</translation>
    </message>
    <message>
        <source>Save chart</source>
        <translation>Guardar gráfico</translation>
    </message>
    <message>
        <source>Detection coverage</source>
        <translation>Cobertura de detección</translation>
    </message>
    <message>
        <source>{n} day</source>
        <translation>{n} día</translation>
    </message>
    <message>
        <source>{n} days</source>
        <translation>{n} días</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Hasta</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Aplicar</translation>
    </message>
    <message>
        <source>Computing {range}…</source>
        <translation>Calculando {range}…</translation>
    </message>
    <message>
        <source>Detection coverage — {range}</source>
        <translation>Cobertura de detección — {range}</translation>
    </message>
    <message>
        <source>{since} to {until} UTC, per week · as of {time}</source>
        <translation>del {since} al {until} UTC, por semana · actualizado: {time}</translation>
    </message>
    <message>
        <source>{since} to {until} UTC, per day · as of {time}</source>
        <translation>del {since} al {until} UTC, por día · actualizado: {time}</translation>
    </message>
    <message>
        <source>{message} — the figures below are the last ones computed</source>
        <translation>{message} — las cifras de abajo son las últimas calculadas</translation>
    </message>
    <message>
        <source>Could not save the {chart} chart to {path}: {error}</source>
        <translation>No se pudo guardar el gráfico “{chart}” en {path}: {error}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Guardado en {path}</translation>
    </message>
    <message>
        <source>Qt could not write a PNG to {path}</source>
        <translation>Qt no pudo escribir un PNG en {path}</translation>
    </message>
</context>
<context>
    <name>ui.charts_page</name>
    <message>
        <source>unexpected {error} (details in the log)</source>
        <translation>{error} inesperado (detalles en el registro)</translation>
    </message>
    <message>
        <source>Could not compute the metrics: {error}</source>
        <translation>No se pudieron calcular las métricas: {error}</translation>
    </message>
</context>
<context>
    <name>ui.check_chart</name>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>{check}: latency, last 24 hours</source>
        <translation>{check}: latencia, últimas 24 horas</translation>
    </message>
    <message>
        <source>{runs} runs, {failed} failed</source>
        <translation>{runs} ejecuciones, {failed} fallidas</translation>
    </message>
    <message>
        <source>latest {latency}</source>
        <translation>última {latency}</translation>
    </message>
    <message>
        <source>usually {median} (band up to {upper})</source>
        <translation>normalmente {median} (banda hasta {upper})</translation>
    </message>
    <message>
        <source>still learning what is usual</source>
        <translation>todavía aprendiendo lo normal</translation>
    </message>
    <message>
        <source>limit {limit}</source>
        <translation>límite {limit}</translation>
    </message>
</context>
<context>
    <name>ui.crash</name>
    <message>
        <source>NOC Console: unexpected error</source>
        <translation>NOC Console: error inesperado</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>Error inesperado</translation>
    </message>
    <message>
        <source>Something went wrong inside the console:
{error}</source>
        <translation>Algo falló dentro de la consola:
{error}</translation>
    </message>
    <message>
        <source>(and {n} more since)</source>
        <translation>(y {n} más desde entonces)</translation>
    </message>
    <message>
        <source>The details are in the log:
{path}</source>
        <translation>Los detalles están en el registro:
{path}</translation>
    </message>
    <message>
        <source>The details were written to standard error (no log file could be opened).</source>
        <translation>Los detalles se escribieron en la salida de error estándar (no se pudo abrir ningún archivo de registro).</translation>
    </message>
    <message>
        <source>The console keeps running; what you see is still kept up to date.</source>
        <translation>La consola sigue funcionando; lo que ve se sigue actualizando.</translation>
    </message>
</context>
<context>
    <name>ui.details_pane</name>
    <message>
        <source>Acknowledged at the sources:</source>
        <translation>Reconocido en las fuentes:</translation>
    </message>
    <message>
        <source>No SLA clock is running</source>
        <translation>Ningún reloj SLA en curso</translation>
    </message>
    <message>
        <source>{clock} {countdown} (due {time})</source>
        <translation>{clock} {countdown} (vence {time})</translation>
    </message>
    <message>
        <source>Select an incident to see its timeline and act on it</source>
        <translation>Seleccione un incidente para ver su historial y actuar sobre él</translation>
    </message>
    <message>
        <source>detected {time} by {source}</source>
        <translation>detectado {time} por {source}</translation>
    </message>
    <message>
        <source>no service</source>
        <translation>sin servicio</translation>
    </message>
    <message>
        <source>owner {owner}</source>
        <translation>responsable {owner}</translation>
    </message>
    <message>
        <source>nobody has it yet</source>
        <translation>aún sin responsable</translation>
    </message>
    <message>
        <source>REPORTED BY A CUSTOMER</source>
        <translation>REPORTADO POR UN CLIENTE</translation>
    </message>
    <message>
        <source>NEEDS REVIEW (cleared before anyone acknowledged it)</source>
        <translation>POR REVISAR (se despejó antes de que alguien lo reconociera)</translation>
    </message>
    <message>
        <source>FLAPPING since {time} (held open until it settles)</source>
        <translation>INTERMITENTE desde {time} (se mantiene abierto hasta que se estabilice)</translation>
    </message>
    <message>
        <source>Callers ({count}):</source>
        <translation>Personas que llamaron ({count}):</translation>
    </message>
    <message>
        <source>anonymised caller</source>
        <translation>persona anonimizada</translation>
    </message>
    <message>
        <source>acknowledged {time} by {who}</source>
        <translation>reconocimiento {time} por {who}</translation>
    </message>
    <message>
        <source>NOT ACKNOWLEDGED, due {time}</source>
        <translation>SIN RECONOCER, vence {time}</translation>
    </message>
    <message>
        <source>not updated yet</source>
        <translation>sin actualizaciones aún</translation>
    </message>
    <message>
        <source>told {time} ({channel}, {count} in all): {text}</source>
        <translation>última actualización {time} ({channel}, {count} en total): {text}</translation>
    </message>
    <message>
        <source>Not assessed yet</source>
        <translation>Sin evaluación inicial aún</translation>
    </message>
    <message>
        <source>Assessed {time}</source>
        <translation>Evaluado {time}</translation>
    </message>
    <message>
        <source>{n} user affected</source>
        <translation>{n} usuario afectado</translation>
    </message>
    <message>
        <source>{n} users affected</source>
        <translation>{n} usuarios afectados</translation>
    </message>
    <message>
        <source>services: {services}</source>
        <translation>servicios: {services}</translation>
    </message>
    <message>
        <source>impact: {impact}</source>
        <translation>impacto: {impact}</translation>
    </message>
</context>
<context>
    <name>ui.directory_tab</name>
    <message>
        <source>daily</source>
        <translation>diaria</translation>
    </message>
    <message>
        <source>weekly</source>
        <translation>semanal</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>no debe estar vacío</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Phone (voice, SMS)</source>
        <translation>Teléfono (voz, SMS)</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Correo electrónico</translation>
    </message>
    <message>
        <source>Chat handle</source>
        <translation>Usuario de chat</translation>
    </message>
    <message>
        <source>name</source>
        <translation>nombre</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>teléfono</translation>
    </message>
    <message>
        <source>whatsapp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <source>email</source>
        <translation>correo electrónico</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Calendario</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zona horaria</translation>
    </message>
    <message>
        <source>Rotation</source>
        <translation>Rotación</translation>
    </message>
    <message>
        <source>Hand-off (HH:MM, weekly: Mondays)</source>
        <translation>Relevo (HH:MM; semanal: los lunes)</translation>
    </message>
    <message>
        <source>People, in turn (comma-separated)</source>
        <translation>Personas, por turno (separadas por comas)</translation>
    </message>
    <message>
        <source>people</source>
        <translation>personas</translation>
    </message>
    <message>
        <source>name at least one person</source>
        <translation>indique al menos una persona</translation>
    </message>
    <message>
        <source>time_zone</source>
        <translation>zona horaria</translation>
    </message>
    <message>
        <source>handoff</source>
        <translation>relevo</translation>
    </message>
    <message>
        <source>Override · {schedule}</source>
        <translation>Reemplazo · {schedule}</translation>
    </message>
    <message>
        <source>Who covers</source>
        <translation>Quién cubre</translation>
    </message>
    <message>
        <source>From (local, YYYY-MM-DD HH:MM)</source>
        <translation>Desde (hora local, YYYY-MM-DD HH:MM)</translation>
    </message>
    <message>
        <source>For (hours)</source>
        <translation>Durante (horas)</translation>
    </message>
    <message>
        <source>from</source>
        <translation>desde</translation>
    </message>
    <message>
        <source>not a time (YYYY-MM-DD HH:MM)</source>
        <translation>no es una fecha y hora (YYYY-MM-DD HH:MM)</translation>
    </message>
    <message>
        <source>who covers</source>
        <translation>quién cubre</translation>
    </message>
    <message>
        <source>add people first</source>
        <translation>primero agregue personas</translation>
    </message>
    <message>
        <source>levels line {number}</source>
        <translation>niveles, línea {number}</translation>
    </message>
    <message>
        <source>write &apos;targets | channels | wait minutes&apos;</source>
        <translation>escriba &apos;destinos | canales | minutos de espera&apos;</translation>
    </message>
    <message>
        <source>channels are {allowed}</source>
        <translation>los canales son {allowed}</translation>
    </message>
    <message>
        <source>{value} is not a number of minutes</source>
        <translation>{value} no es un número de minutos</translation>
    </message>
    <message>
        <source>needs targets, channels and a wait of 0.5 to 1440 minutes</source>
        <translation>necesita destinos, canales y una espera de 0.5 a 1440 minutos</translation>
    </message>
    <message>
        <source>levels</source>
        <translation>niveles</translation>
    </message>
    <message>
        <source>write at least one level</source>
        <translation>escriba al menos un nivel</translation>
    </message>
    <message>
        <source>Escalation policy</source>
        <translation>Política de escalamiento</translation>
    </message>
    <message>
        <source>Services (comma-separated; empty: any)</source>
        <translation>Servicios (separados por comas; vacío: cualquiera)</translation>
    </message>
    <message>
        <source>Severities (none: any)</source>
        <translation>Severidades (ninguna: cualquiera)</translation>
    </message>
    <message>
        <source>Repeat (passes after the first)</source>
        <translation>Repetir (pasadas después de la primera)</translation>
    </message>
    <message>
        <source>Start when the acknowledge clock breaches</source>
        <translation>Iniciar cuando se incumpla el reloj de reconocimiento</translation>
    </message>
    <message>
        <source>Levels (targets | channels | wait minutes)</source>
        <translation>Niveles (destinos | canales | minutos de espera)</translation>
    </message>
    <message>
        <source>any</source>
        <translation>cualquiera</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Teléfono</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>On call now</source>
        <translation>De guardia ahora</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personas</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>Política</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Servicios</translation>
    </message>
    <message>
        <source>Severities</source>
        <translation>Severidades</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Auto</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>Repetir</translation>
    </message>
    <message>
        <source>Levels</source>
        <translation>Niveles</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Editar…</translation>
    </message>
    <message>
        <source>Add schedule…</source>
        <translation>Agregar calendario…</translation>
    </message>
    <message>
        <source>Override…</source>
        <translation>Reemplazo…</translation>
    </message>
    <message>
        <source>Add person…</source>
        <translation>Agregar persona…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
    <message>
        <source>Add policy…</source>
        <translation>Agregar política…</translation>
    </message>
    <message>
        <source>On-call schedules</source>
        <translation>Calendarios de guardias</translation>
    </message>
    <message>
        <source>Escalation policies</source>
        <translation>Políticas de escalamiento</translation>
    </message>
    <message>
        <source>NOBODY</source>
        <translation>NADIE</translation>
    </message>
    <message>
        <source>{rotation} at {time} {zone}</source>
        <translation>{rotation} a las {time} {zone}</translation>
    </message>
    <message>
        <source>Select a row first</source>
        <translation>Seleccione primero una fila</translation>
    </message>
</context>
<context>
    <name>ui.feed</name>
    <message>
        <source>unexpected {error} (details in the log)</source>
        <translation>error inesperado {error} (detalles en el registro)</translation>
    </message>
    <message>
        <source>{error} — reconnecting, next try in {seconds} s</source>
        <translation>{error} — reconectando, próximo intento en {seconds} s</translation>
    </message>
    <message>
        <source>Incident #{id} no longer exists</source>
        <translation>El incidente #{id} ya no existe</translation>
    </message>
    <message>
        <source>Could not acknowledge #{id}: {error}</source>
        <translation>No se pudo reconocer #{id}: {error}</translation>
    </message>
    <message>
        <source>Could not resolve the orphaned incidents: {error}</source>
        <translation>No se pudieron resolver los incidentes huérfanos: {error}</translation>
    </message>
    <message>
        <source>Resolved {n} orphaned incident by {by}: {ids}</source>
        <translation>{by} resolvió {n} incidente huérfano: {ids}</translation>
    </message>
    <message>
        <source>Resolved {n} orphaned incidents by {by}: {ids}</source>
        <translation>{by} resolvió {n} incidentes huérfanos: {ids}</translation>
    </message>
    <message>
        <source>No orphaned incident was left to resolve</source>
        <translation>No quedaba ningún incidente huérfano por resolver</translation>
    </message>
</context>
<context>
    <name>ui.filter_bar</name>
    <message>
        <source>Severity</source>
        <translation>Severidad</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Fuente</translation>
    </message>
    <message>
        <source>open</source>
        <translation>abierto</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>reconocido</translation>
    </message>
    <message>
        <source>Title or service…  [Ctrl+F]</source>
        <translation>Título o servicio…  [Ctrl+F]</translation>
    </message>
    <message>
        <source>✕ Clear</source>
        <translation>✕ Borrar</translation>
    </message>
    <message>
        <source>Clear filters  [Ctrl+Shift+F]</source>
        <translation>Borrar filtros  [Ctrl+Shift+F]</translation>
    </message>
    <message>
        <source>{count} more: type a service in the box</source>
        <translation>{count} más: escriba un servicio en el cuadro</translation>
    </message>
    <message>
        <source>{menu} ({count})</source>
        <translation>{menu} ({count})</translation>
    </message>
</context>
<context>
    <name>ui.incident_actions</name>
    <message>
        <source>Acknowledge</source>
        <translation>Reconocer</translation>
    </message>
    <message>
        <source>Acknowledge the selected incident  [{key}]</source>
        <translation>Reconocer el incidente seleccionado  [{key}]</translation>
    </message>
    <message>
        <source>#{id} is {status}: nothing to acknowledge</source>
        <translation>#{id} está {status}: no hay nada que reconocer</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>Asignar…</translation>
    </message>
    <message>
        <source>Assign the selected incident  [{key}]</source>
        <translation>Asignar el incidente seleccionado  [{key}]</translation>
    </message>
    <message>
        <source>#{id} is {status}: nothing to assign</source>
        <translation>#{id} está {status}: no hay nada que asignar</translation>
    </message>
    <message>
        <source>Assign #{id}…</source>
        <translation>Asignando #{id}…</translation>
    </message>
    <message>
        <source>Note…</source>
        <translation>Nota…</translation>
    </message>
    <message>
        <source>Note the selected incident  [{key}]</source>
        <translation>Agregar una nota al incidente seleccionado  [{key}]</translation>
    </message>
    <message>
        <source>#{id} is {status}: nothing to note</source>
        <translation>#{id} está {status}: no hay nada que anotar</translation>
    </message>
    <message>
        <source>Note #{id}…</source>
        <translation>Agregando nota a #{id}…</translation>
    </message>
    <message>
        <source>Assessment…</source>
        <translation>Evaluación…</translation>
    </message>
    <message>
        <source>Assessment the selected incident  [{key}]</source>
        <translation>Evaluar el incidente seleccionado  [{key}]</translation>
    </message>
    <message>
        <source>#{id} is {status}: nothing to assess</source>
        <translation>#{id} está {status}: no hay nada que evaluar</translation>
    </message>
    <message>
        <source>Assessment #{id}…</source>
        <translation>Evaluando #{id}…</translation>
    </message>
    <message>
        <source>Customer update…</source>
        <translation>Actualización al cliente…</translation>
    </message>
    <message>
        <source>Customer update the selected incident  [{key}]</source>
        <translation>Actualización al cliente del incidente seleccionado  [{key}]</translation>
    </message>
    <message>
        <source>#{id} is {status}: nothing to update</source>
        <translation>#{id} está {status}: no hay nada que actualizar</translation>
    </message>
    <message>
        <source>Customer update #{id}…</source>
        <translation>Enviando actualización al cliente de #{id}…</translation>
    </message>
    <message>
        <source>Resolve…</source>
        <translation>Resolver…</translation>
    </message>
    <message>
        <source>Resolve the selected incident  [{key}]</source>
        <translation>Resolver el incidente seleccionado  [{key}]</translation>
    </message>
    <message>
        <source>#{id} is {status}: nothing to resolve</source>
        <translation>#{id} está {status}: no hay nada que resolver</translation>
    </message>
    <message>
        <source>Resolve #{id}…</source>
        <translation>Resolviendo #{id}…</translation>
    </message>
    <message>
        <source>Page…</source>
        <translation>Notificar…</translation>
    </message>
    <message>
        <source>Page the selected incident  [{key}]</source>
        <translation>Enviar notificaciones por el incidente seleccionado  [{key}]</translation>
    </message>
    <message>
        <source>#{id} is {status}: nothing to page</source>
        <translation>#{id} está {status}: no hay a quién notificar</translation>
    </message>
    <message>
        <source>Page #{id}…</source>
        <translation>Notificando #{id}…</translation>
    </message>
    <message>
        <source>open</source>
        <translation>abierto</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>reconocido</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>resuelto</translation>
    </message>
    <message>
        <source>Select an incident first</source>
        <translation>Primero seleccione un incidente</translation>
    </message>
</context>
<context>
    <name>ui.incident_model</name>
    <message>
        <source>Severity</source>
        <translation>Severidad</translation>
    </message>
    <message>
        <source>#ID</source>
        <translation>#ID</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Título</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Detected by</source>
        <translation>Detección</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Antigüedad</translation>
    </message>
    <message>
        <source>Ack due</source>
        <translation>Reconocer en</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alertas</translation>
    </message>
    <message>
        <source>ORPHANED — its source was removed from the config</source>
        <translation>HUÉRFANO — su fuente se quitó de la configuración</translation>
    </message>
    <message>
        <source>FLAPPING since {time} · held open, no new alarm until it settles</source>
        <translation>INTERMITENTE desde {time} · se mantiene abierto, sin nueva alarma hasta que se estabilice</translation>
    </message>
    <message>
        <source>CLEARING · resolves {time} unless it fires again</source>
        <translation>DESPEJÁNDOSE · se resuelve {time} salvo que vuelva a activarse</translation>
    </message>
    <message>
        <source>ORPHANED</source>
        <translation>HUÉRFANO</translation>
    </message>
    <message>
        <source>FLAPPING</source>
        <translation>INTERMITENTE</translation>
    </message>
    <message>
        <source>ACKED</source>
        <translation>RECONOCIDO</translation>
    </message>
    <message>
        <source>CLEARING {time}</source>
        <translation>DESPEJÁNDOSE {time}</translation>
    </message>
    <message>
        <source>acked by {who}</source>
        <translation>rec. por {who}</translation>
    </message>
    <message>
        <source>acked</source>
        <translation>rec.</translation>
    </message>
    <message>
        <source>{counts} · {silenced} silenced</source>
        <translation>{counts} · silenciadas: {silenced}</translation>
    </message>
    <message>
        <source>{firing} firing of {total} alert</source>
        <translation>{firing} de {total} alerta activa</translation>
    </message>
    <message>
        <source>{firing} firing of {total} alerts</source>
        <translation>{firing} de {total} alertas activas</translation>
    </message>
    <message>
        <source>{n} firing alert silenced or inhibited at the source</source>
        <translation>{n} alerta activa silenciada o inhibida en la fuente</translation>
    </message>
    <message>
        <source>{n} firing alerts silenced or inhibited at the source</source>
        <translation>{n} alertas activas silenciadas o inhibidas en la fuente</translation>
    </message>
</context>
<context>
    <name>ui.lead</name>
    <message>
        <source>Charts</source>
        <translation>Gráficos</translation>
    </message>
    <message>
        <source>Post-mortems</source>
        <translation>Post-mortems</translation>
    </message>
    <message>
        <source>Executive report not written: {error}</source>
        <translation>No se escribió el reporte ejecutivo: {error}</translation>
    </message>
    <message>
        <source>Post-mortem not written: {error}</source>
        <translation>No se escribió el post-mortem: {error}</translation>
    </message>
    <message>
        <source>Executive report of #{id} written to {path}</source>
        <translation>Reporte ejecutivo de #{id} guardado en {path}</translation>
    </message>
    <message>
        <source>Post-mortem of #{id} written to {path}</source>
        <translation>Post-mortem de #{id} guardado en {path}</translation>
    </message>
</context>
<context>
    <name>ui.main_window</name>
    <message>
        <source>NOBODY</source>
        <translation>NADIE</translation>
    </message>
    <message>
        <source>{schedule}: {now} ({next} from {when})</source>
        <translation>{schedule}: {now} ({next} a partir del {when})</translation>
    </message>
    <message>
        <source>{schedule}: {now}</source>
        <translation>{schedule}: {now}</translation>
    </message>
    <message>
        <source>On call — {schedules}</source>
        <translation>De guardia — {schedules}</translation>
    </message>
    <message>
        <source>Open incidents</source>
        <translation>Abiertos</translation>
    </message>
    <message>
        <source>Needs review</source>
        <translation>Por revisar</translation>
    </message>
    <message>
        <source>Phone report</source>
        <translation>Llamadas</translation>
    </message>
    <message>
        <source>On call</source>
        <translation>De guardia</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>Mantenimiento</translation>
    </message>
    <message>
        <source>Loading the incidents from the database…</source>
        <translation>Cargando los incidentes de la base de datos…</translation>
    </message>
    <message>
        <source>Loading the incidents</source>
        <translation>Cargando los incidentes</translation>
    </message>
    <message>
        <source>Poller: waiting for the database…</source>
        <translation>Recolector: esperando la base de datos…</translation>
    </message>
    <message>
        <source>Acknowledge  [A]</source>
        <translation>Reconocer  [A]</translation>
    </message>
    <message>
        <source>&amp;Incident</source>
        <translation>&amp;Incidente</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation>Filtrar…</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Borrar filtros</translation>
    </message>
    <message>
        <source>Log a phone report</source>
        <translation>Registrar un reporte telefónico</translation>
    </message>
    <message>
        <source>Log a customer&apos;s phone report (Ctrl+L)</source>
        <translation>Registrar el reporte telefónico de un cliente (Ctrl+L)</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Gráficos</translation>
    </message>
    <message>
        <source>Post-mortems</source>
        <translation>Post-mortems</translation>
    </message>
    <message>
        <source>Maintenance windows</source>
        <translation>Ventanas de mantenimiento</translation>
    </message>
    <message>
        <source>Light theme (for bright rooms)</source>
        <translation>Tema claro (para salas iluminadas)</translation>
    </message>
    <message>
        <source>Post-mortem and executive report…</source>
        <translation>Post-mortem y reporte ejecutivo…</translation>
    </message>
    <message>
        <source>Open the post-mortem of the selected incident, with its executive report [Ctrl+Shift+P]</source>
        <translation>Abrir el post-mortem del incidente seleccionado, con su reporte ejecutivo [Ctrl+Shift+P]</translation>
    </message>
    <message>
        <source>Select an incident first</source>
        <translation>Primero seleccione un incidente</translation>
    </message>
    <message>
        <source>Resolve {n} orphaned</source>
        <translation>Resolver huérfanos ({n})</translation>
    </message>
    <message>
        <source>⚠ DATABASE ERROR — {error}; what you see may be out of date</source>
        <translation>⚠ ERROR DE BASE DE DATOS — {error}; lo que ve puede estar desactualizado</translation>
    </message>
    <message>
        <source>Needs review ({count})</source>
        <translation>Por revisar ({count})</translation>
    </message>
    <message>
        <source>Acknowledging #{id}…</source>
        <translation>Reconociendo #{id}…</translation>
    </message>
    <message>
        <source>Resolving {n} orphaned incident…</source>
        <translation>Resolviendo {n} incidente huérfano…</translation>
    </message>
    <message>
        <source>Resolving {n} orphaned incidents…</source>
        <translation>Resolviendo {n} incidentes huérfanos…</translation>
    </message>
    <message>
        <source>Severity counts and clock</source>
        <translation>Conteo por severidad y reloj</translation>
    </message>
    <message>
        <source>How many open incidents of each severity; the time</source>
        <translation>Cuántos incidentes abiertos hay de cada severidad; la hora</translation>
    </message>
    <message>
        <source>Stale sources warning</source>
        <translation>Aviso de fuentes desactualizadas</translation>
    </message>
    <message>
        <source>Sources whose data is out of date</source>
        <translation>Fuentes cuyos datos están desactualizados</translation>
    </message>
    <message>
        <source>Alarm state</source>
        <translation>Estado de las alarmas</translation>
    </message>
    <message>
        <source>Whether alarms sound, are muted, or cannot be heard</source>
        <translation>Si las alarmas suenan, están silenciadas o no se pueden oír</translation>
    </message>
    <message>
        <source>Loudest first; A acknowledges the selected incident</source>
        <translation>Los más graves primero; A reconoce el incidente seleccionado</translation>
    </message>
    <message>
        <source>Incidents to review</source>
        <translation>Incidentes por revisar</translation>
    </message>
    <message>
        <source>Incidents that cleared before anyone acknowledged them</source>
        <translation>Incidentes que se despejaron antes de que alguien los reconociera</translation>
    </message>
    <message>
        <source>Console pages</source>
        <translation>Páginas de la consola</translation>
    </message>
    <message>
        <source>Incidents, review, phone report, on call, charts, post-mortems</source>
        <translation>Incidentes, revisión, reporte telefónico, de guardia, gráficos, post-mortems</translation>
    </message>
    <message>
        <source>Selected incident</source>
        <translation>Incidente seleccionado</translation>
    </message>
    <message>
        <source>Its SLA clocks, actions and timeline</source>
        <translation>Sus relojes SLA, acciones y línea de tiempo</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>Filtros</translation>
    </message>
    <message>
        <source>Filter the incidents by text, severity, status, service or source</source>
        <translation>Filtrar los incidentes por texto, severidad, estado, servicio o fuente</translation>
    </message>
    <message>
        <source>Monitoring sources</source>
        <translation>Fuentes de monitoreo</translation>
    </message>
    <message>
        <source>Each source&apos;s health: OK, failing or stale</source>
        <translation>El estado de cada fuente: OK, con fallas o desactualizada</translation>
    </message>
    <message>
        <source>On call now</source>
        <translation>De guardia ahora</translation>
    </message>
    <message>
        <source>Who is on call for each schedule</source>
        <translation>Quién está de guardia en cada calendario de guardias</translation>
    </message>
    <message>
        <source>Poller</source>
        <translation>Recolector</translation>
    </message>
    <message>
        <source>Which process polls the sources, and its heartbeats</source>
        <translation>Qué proceso consulta las fuentes, y sus señales de vida</translation>
    </message>
    <message>
        <source>Last action</source>
        <translation>Última acción</translation>
    </message>
    <message>
        <source>What the last action did, or why it did not</source>
        <translation>Qué hizo la última acción, o por qué no lo hizo</translation>
    </message>
    <message>
        <source>Shown until the first read of the database arrives</source>
        <translation>Se muestra hasta que llega la primera lectura de la base de datos</translation>
    </message>
</context>
<context>
    <name>ui.maintenance_tab</name>
    <message>
        <source>upcoming</source>
        <translation>próxima</translation>
    </message>
    <message>
        <source>IN MAINTENANCE</source>
        <translation>EN MANTENIMIENTO</translation>
    </message>
    <message>
        <source>over</source>
        <translation>terminada</translation>
    </message>
    <message>
        <source>silenced at {source}</source>
        <translation>silenciado en {source}</translation>
    </message>
    <message>
        <source>silence at {source} expired</source>
        <translation>silencio en {source} vencido</translation>
    </message>
    <message>
        <source>⚠ no silence at {source}: {error} (retrying)</source>
        <translation>⚠ sin silencio en {source}: {error} (reintentando)</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Hasta</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>Retenidas</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Por</translation>
    </message>
    <message>
        <source>Alertmanager</source>
        <translation>Alertmanager</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Severidad</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alerta</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Fuente</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>Not scheduled: {error}</source>
        <translation>No se programó: {error}</translation>
    </message>
    <message>
        <source>Maintenance window {id} for {service} scheduled</source>
        <translation>Ventana de mantenimiento {id} para {service} programada</translation>
    </message>
    <message>
        <source>Not ended: {error}</source>
        <translation>No se terminó: {error}</translation>
    </message>
    <message>
        <source>Maintenance window {id} for {service} ended: its alerts open incidents again</source>
        <translation>Ventana de mantenimiento {id} para {service} terminada: sus alertas vuelven a abrir incidentes</translation>
    </message>
    <message>
        <source>From (local time)</source>
        <translation>Desde (hora local)</translation>
    </message>
    <message>
        <source>Until (local time)</source>
        <translation>Hasta (hora local)</translation>
    </message>
    <message>
        <source>Reason: shown to operators and in the Alertmanager silence</source>
        <translation>Motivo: se muestra a los operadores y en el silencio de Alertmanager</translation>
    </message>
    <message>
        <source>&amp;Schedule maintenance</source>
        <translation>&amp;Programar mantenimiento</translation>
    </message>
    <message>
        <source>from</source>
        <translation>desde</translation>
    </message>
    <message>
        <source>until</source>
        <translation>hasta</translation>
    </message>
    <message>
        <source>Maintenance windows</source>
        <translation>Ventanas de mantenimiento</translation>
    </message>
    <message>
        <source>&amp;End the selected window now</source>
        <translation>&amp;Terminar ahora la ventana seleccionada</translation>
    </message>
    <message>
        <source>Held alerts: no incident, no alarm; still firing at the end, they open one</source>
        <translation>Alertas retenidas: sin incidente ni alarma; si siguen activas al terminar, abren uno</translation>
    </message>
    <message>
        <source>Alerts held by maintenance</source>
        <translation>Alertas retenidas por mantenimiento</translation>
    </message>
    <message>
        <source>in maintenance</source>
        <translation>en mantenimiento</translation>
    </message>
    <message>
        <source>Select the window to end first</source>
        <translation>Primero seleccione la ventana que desea terminar</translation>
    </message>
</context>
<context>
    <name>ui.poller_supervisor</name>
    <message>
        <source>Poller run by another console on this host (pid {pid})</source>
        <translation>Recolector ejecutado por otra consola en esta computadora (PID {pid})</translation>
    </message>
    <message>
        <source>Poller run by another console on host {host} (pid {pid})</source>
        <translation>Recolector ejecutado por otra consola en la computadora {host} (PID {pid})</translation>
    </message>
    <message>
        <source>No poller is running: incidents are not being updated</source>
        <translation>No hay ningún recolector en ejecución: los incidentes no se están actualizando</translation>
    </message>
    <message>
        <source>Poller running (pid {pid})</source>
        <translation>Recolector en ejecución (PID {pid})</translation>
    </message>
    <message>
        <source>Poller failed to start ({program})</source>
        <translation>El recolector no pudo iniciar ({program})</translation>
    </message>
    <message>
        <source>Poller died (crashed) at {time}</source>
        <translation>El recolector se cayó (falla) a las {time}</translation>
    </message>
    <message>
        <source>Poller died (exit {code}) at {time}</source>
        <translation>El recolector se cayó (salida {code}) a las {time}</translation>
    </message>
    <message>
        <source>{problem} — restarting in {seconds} s</source>
        <translation>{problem} — reiniciando en {seconds} s</translation>
    </message>
</context>
<context>
    <name>ui.postmortem_desk</name>
    <message>
        <source>Incident #{id} does not exist</source>
        <translation>El incidente #{id} no existe</translation>
    </message>
    <message>
        <source>Could not read the post-mortems: {error}</source>
        <translation>No se pudieron leer los post-mortems: {error}</translation>
    </message>
    <message>
        <source>Could not open the post-mortem of #{id}: {error}</source>
        <translation>No se pudo abrir el post-mortem de #{id}: {error}</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>No guardado: {error}</translation>
    </message>
    <message>
        <source>Not finished, still to write: {problems}</source>
        <translation>No terminado, falta completar: {problems}</translation>
    </message>
    <message>
        <source>Could not save the post-mortem of #{id}: {error}</source>
        <translation>No se pudo guardar el post-mortem de #{id}: {error}</translation>
    </message>
    <message>
        <source>Post-mortem of #{id} finished at {time}</source>
        <translation>Post-mortem de #{id} terminado: {time}</translation>
    </message>
    <message>
        <source>Draft saved at {time}</source>
        <translation>Borrador guardado: {time}</translation>
    </message>
    <message>
        <source>Could not record the follow-up of #{id}: {error}</source>
        <translation>No se pudo registrar el seguimiento de #{id}: {error}</translation>
    </message>
    <message>
        <source>Follow-up review of #{id} recorded</source>
        <translation>Revisión de seguimiento de #{id} registrada</translation>
    </message>
    <message>
        <source>Not exported: {error}</source>
        <translation>No exportado: {error}</translation>
    </message>
    <message>
        <source>Could not export #{id}: {error}</source>
        <translation>No se pudo exportar #{id}: {error}</translation>
    </message>
    <message>
        <source>Could not mark the executive report of #{id} sent: {error}</source>
        <translation>No se pudo marcar como enviado el reporte ejecutivo de #{id}: {error}</translation>
    </message>
    <message>
        <source>Executive report of #{id} marked sent: its 72-hour clock stopped</source>
        <translation>Reporte ejecutivo de #{id} marcado como enviado: su reloj de 72 horas se detuvo</translation>
    </message>
    <message>
        <source>The executive report of #{id} was already marked sent</source>
        <translation>El reporte ejecutivo de #{id} ya estaba marcado como enviado</translation>
    </message>
</context>
<context>
    <name>ui.postmortems</name>
    <message>
        <source>done</source>
        <translation>hecho</translation>
    </message>
    <message>
        <source>{n} item OVERDUE</source>
        <translation>{n} acción VENCIDA</translation>
    </message>
    <message>
        <source>{n} items OVERDUE</source>
        <translation>{n} acciones VENCIDAS</translation>
    </message>
    <message>
        <source>FOLLOW-UP DUE</source>
        <translation>SEGUIMIENTO PENDIENTE</translation>
    </message>
    <message>
        <source>OVERDUE by {duration}</source>
        <translation>VENCIDO hace {duration}</translation>
    </message>
    <message>
        <source>due in {duration}</source>
        <translation>vence en {duration}</translation>
    </message>
    <message>
        <source>owed</source>
        <translation>pendiente</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>terminado</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>borrador</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <source>Post-mortems owed (48 h after resolution) and followed up</source>
        <translation>Post-mortems pendientes (48 h después de la resolución) y en seguimiento</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Incidente</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>Reloj</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Post-mortems owed</source>
        <translation>Post-mortems pendientes</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>When (UTC)</source>
        <translation>Cuándo (UTC)</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Qué pasó</translation>
    </message>
    <message>
        <source>Post-mortem timeline</source>
        <translation>Cronología del post-mortem</translation>
    </message>
    <message>
        <source>Add line</source>
        <translation>Agregar línea</translation>
    </message>
    <message>
        <source>Remove line</source>
        <translation>Quitar línea</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Cronología</translation>
    </message>
    <message>
        <source>how many users were affected (a whole number)</source>
        <translation>cuántos usuarios se vieron afectados (un número entero)</translation>
    </message>
    <message>
        <source>Users affected</source>
        <translation>Usuarios afectados</translation>
    </message>
    <message>
        <source>the services affected, separated by commas</source>
        <translation>los servicios afectados, separados por comas</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Servicios</translation>
    </message>
    <message>
        <source>Root cause</source>
        <translation>Causa raíz</translation>
    </message>
    <message>
        <source>Contributing factors</source>
        <translation>Factores contribuyentes</translation>
    </message>
    <message>
        <source>Why didn&apos;t our monitoring detect this?</source>
        <translation>¿Por qué nuestro monitoreo no lo detectó?</translation>
    </message>
    <message>
        <source>Corrective actions</source>
        <translation>Acciones correctivas</translation>
    </message>
    <message>
        <source>Service credit</source>
        <translation>Crédito de servicio</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Fuente</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alerta</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Severidad</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <source>Early warning signs</source>
        <translation>Señales de alerta temprana</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Responsable</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Fecha límite</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Action items</source>
        <translation>Acciones</translation>
    </message>
    <message>
        <source>Add action item</source>
        <translation>Agregar acción</translation>
    </message>
    <message>
        <source>Remove action item</source>
        <translation>Quitar acción</translation>
    </message>
    <message>
        <source>Follow-up date</source>
        <translation>Fecha de seguimiento</translation>
    </message>
    <message>
        <source>Follow-up review held</source>
        <translation>Revisión de seguimiento realizada</translation>
    </message>
    <message>
        <source>Follow-up (2-4 weeks)</source>
        <translation>Seguimiento (2-4 semanas)</translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation>Exportando</translation>
    </message>
    <message>
        <source>Save draft ({shortcut})</source>
        <translation>Guardar borrador ({shortcut})</translation>
    </message>
    <message>
        <source>Finish post-mortem</source>
        <translation>Terminar post-mortem</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportar…</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <source>The executive report went out: stop its 72-hour clock</source>
        <translation>El reporte ejecutivo se envió: detener su reloj de 72 horas</translation>
    </message>
    <message>
        <source>Export the post-mortem as a self-contained HTML page</source>
        <translation>Exportar el post-mortem como una página HTML autónoma</translation>
    </message>
    <message>
        <source>Export the post-mortem as PDF (A4)</source>
        <translation>Exportar el post-mortem como PDF (A4)</translation>
    </message>
    <message>
        <source>Export the executive report (PDF or HTML)</source>
        <translation>Exportar el reporte ejecutivo (PDF o HTML)</translation>
    </message>
    <message>
        <source>Export the post-mortem:</source>
        <translation>Exportar el post-mortem:</translation>
    </message>
    <message>
        <source>Executive report:</source>
        <translation>Reporte ejecutivo:</translation>
    </message>
    <message>
        <source>post-mortem finished</source>
        <translation>post-mortem terminado</translation>
    </message>
    <message>
        <source>post-mortem draft</source>
        <translation>post-mortem en borrador</translation>
    </message>
    <message>
        <source>post-mortem not started: a draft from the incident</source>
        <translation>post-mortem sin empezar: un borrador a partir del incidente</translation>
    </message>
    <message>
        <source>detected by {source}</source>
        <translation>detectado por {source}</translation>
    </message>
    <message>
        <source>impact {duration} (from {start})</source>
        <translation>impacto {duration} (desde {start})</translation>
    </message>
    <message>
        <source>due {time}</source>
        <translation>vence el {time}</translation>
    </message>
    <message>
        <source>Why didn&apos;t our monitoring detect this? (required: a customer told us first)</source>
        <translation>¿Por qué nuestro monitoreo no lo detectó? (obligatorio: un cliente nos avisó primero)</translation>
    </message>
    <message>
        <source>{state}, SILENCED</source>
        <translation>{state}, SILENCIADA</translation>
    </message>
    <message>
        <source>{n} alert on the affected services in the 24 h before impact start: what did we ignore, and why?</source>
        <translation>{n} alerta en los servicios afectados en las 24 h previas al inicio del impacto: ¿qué ignoramos y por qué?</translation>
    </message>
    <message>
        <source>{n} alerts on the affected services in the 24 h before impact start: what did we ignore, and why?</source>
        <translation>{n} alertas en los servicios afectados en las 24 h previas al inicio del impacto: ¿qué ignoramos y por qué?</translation>
    </message>
    <message>
        <source>No alert on the affected services in the 24 h before impact start.</source>
        <translation>Ninguna alerta en los servicios afectados en las 24 h previas al inicio del impacto.</translation>
    </message>
    <message>
        <source>held {day}</source>
        <translation>realizada el {day}</translation>
    </message>
    <message>
        <source>FOLLOW-UP DUE: hold the review, then press the button</source>
        <translation>SEGUIMIENTO PENDIENTE: haga la revisión y luego presione el botón</translation>
    </message>
    <message>
        <source>Save amendments</source>
        <translation>Guardar cambios</translation>
    </message>
    <message>
        <source>timeline line {n}: time</source>
        <translation>línea {n} de la cronología: hora</translation>
    </message>
    <message>
        <source>{value} is not YYYY-MM-DD HH:MM:SS</source>
        <translation>{value} no tiene el formato AAAA-MM-DD HH:MM:SS</translation>
    </message>
    <message>
        <source>users affected</source>
        <translation>usuarios afectados</translation>
    </message>
    <message>
        <source>{value} is not a whole number</source>
        <translation>{value} no es un número entero</translation>
    </message>
    <message>
        <source>action item {n}: deadline</source>
        <translation>acción {n}: fecha límite</translation>
    </message>
    <message>
        <source>{value} is not YYYY-MM-DD</source>
        <translation>{value} no tiene el formato AAAA-MM-DD</translation>
    </message>
    <message>
        <source>Opening the post-mortem of #{id}…</source>
        <translation>Abriendo el post-mortem de #{id}…</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>No guardado: {error}</translation>
    </message>
    <message>
        <source>Writing the executive report of #{id}…</source>
        <translation>Escribiendo el reporte ejecutivo de #{id}…</translation>
    </message>
    <message>
        <source>Writing the post-mortem of #{id}…</source>
        <translation>Escribiendo el post-mortem de #{id}…</translation>
    </message>
    <message>
        <source>Action item {n} status</source>
        <translation>Estado de la acción {n}</translation>
    </message>
    <message>
        <source>OVERDUE</source>
        <translation>VENCIDA</translation>
    </message>
    <message>
        <source>Blameless wording: {phrases} looks for a person to blame. Describe what in the system or process made it possible.</source>
        <translation>Redacción sin culpables: {phrases} suena a buscar un culpable. Describa qué del sistema o del proceso lo hizo posible.</translation>
    </message>
    <message>
        <source>Pick a post-mortem from the list</source>
        <translation>Elija un post-mortem de la lista</translation>
    </message>
</context>
<context>
    <name>ui.review_list</name>
    <message>
        <source>#{id}  {severity}  {service}  {title} — cleared {time}, never acknowledged</source>
        <translation>#{id}  {severity}  {service}  {title} — se despejó {time}, nunca se reconoció</translation>
    </message>
    <message>
        <source>#{id}  {severity}  {service}  {title} — cleared, never acknowledged</source>
        <translation>#{id}  {severity}  {service}  {title} — se despejó, nunca se reconoció</translation>
    </message>
    <message>
        <source>Needs review: {n} incident cleared before anyone acknowledged it (the newest {shown} shown) — select one and press A</source>
        <translation>Por revisar: {n} incidente se despejó antes de que alguien lo reconociera (se muestran los {shown} más recientes) — seleccione uno y presione A</translation>
    </message>
    <message>
        <source>Needs review: {n} incidents cleared before anyone acknowledged them (the newest {shown} shown) — select one and press A</source>
        <translation>Por revisar: {n} incidentes se despejaron antes de que alguien los reconociera (se muestran los {shown} más recientes) — seleccione uno y presione A</translation>
    </message>
    <message>
        <source>Needs review: {n} incident cleared before anyone acknowledged it — select one and press A</source>
        <translation>Por revisar: {n} incidente se despejó antes de que alguien lo reconociera — selecciónelo y presione A</translation>
    </message>
    <message>
        <source>Needs review: {n} incidents cleared before anyone acknowledged them — select one and press A</source>
        <translation>Por revisar: {n} incidentes se despejaron antes de que alguien los reconociera — seleccione uno y presione A</translation>
    </message>
    <message>
        <source>Needs review: none</source>
        <translation>Por revisar: ninguno</translation>
    </message>
</context>
<context>
    <name>ui.status_widgets</name>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>{n} s ago</source>
        <translation>hace {n} s</translation>
    </message>
    <message>
        <source>{n} min ago</source>
        <translation>hace {n} min</translation>
    </message>
    <message>
        <source>{n} h ago</source>
        <translation>hace {n} h</translation>
    </message>
    <message>
        <source>UNACKED {count}</source>
        <translation>SIN RECONOCER {count}</translation>
    </message>
    <message>
        <source>{day} · local {time}</source>
        <translation>{day} · local {time}</translation>
    </message>
    <message>
        <source>No source has reported yet</source>
        <translation>Ninguna fuente ha reportado aún</translation>
    </message>
    <message>
        <source>{source} STALE · last OK {ago}</source>
        <translation>{source} DESACTUALIZADA · último OK {ago}</translation>
    </message>
    <message>
        <source>{source} DEGRADED · {warning}</source>
        <translation>{source} DEGRADADA · {warning}</translation>
    </message>
    <message>
        <source>{source} OK · {n} alert · {ago}</source>
        <translation>{source} OK · {n} alerta · {ago}</translation>
    </message>
    <message>
        <source>{source} OK · {n} alerts · {ago}</source>
        <translation>{source} OK · {n} alertas · {ago}</translation>
    </message>
    <message>
        <source> · {n} pending</source>
        <translation> · pendientes: {n}</translation>
    </message>
    <message>
        <source>⚠ {blind} — incidents may be out of date</source>
        <translation>⚠ {blind} — los incidentes pueden estar desactualizados</translation>
    </message>
    <message>
        <source>Poller on host {host} pid {pid} stopped renewing at {time} — taking over</source>
        <translation>El recolector en el host {host} pid {pid} no renueva desde {time} — tomando el relevo</translation>
    </message>
    <message>
        <source>Poller on host {host} pid {pid} stopped renewing at {time} — incidents are NOT being updated</source>
        <translation>El recolector en el host {host} pid {pid} no renueva desde {time} — los incidentes NO se están actualizando</translation>
    </message>
    <message>
        <source>Polling: this console&apos;s poller (host {host} pid {pid}) since {time} · lease renewed {beat} s ago</source>
        <translation>Recolectando: el recolector de esta consola (host {host} pid {pid}) desde {time} · concesión renovada hace {beat} s</translation>
    </message>
    <message>
        <source>Polling: host {host} pid {pid} since {time} · lease renewed {beat} s ago</source>
        <translation>Recolectando: host {host} pid {pid} desde {time} · concesión renovada hace {beat} s</translation>
    </message>
    <message>
        <source>Poller: starting this console&apos;s poller…</source>
        <translation>Recolector: iniciando el recolector de esta consola…</translation>
    </message>
    <message>
        <source>No poller holds the lease — incidents are NOT being updated</source>
        <translation>Ningún recolector tiene la concesión — los incidentes NO se están actualizando</translation>
    </message>
</context>
<context>
    <name>ui.tray</name>
    <message>
        <source>{n} critical</source>
        <translation>CRÍTICA {n}</translation>
    </message>
    <message>
        <source>{n} major</source>
        <translation>MAYOR {n}</translation>
    </message>
    <message>
        <source>{n} minor</source>
        <translation>MENOR {n}</translation>
    </message>
    <message>
        <source>{n} warning</source>
        <translation>ADVERTENCIA {n}</translation>
    </message>
    <message>
        <source>{n} info</source>
        <translation>INFORMATIVA {n}</translation>
    </message>
    <message>
        <source>NOC Console: no open incidents</source>
        <translation>NOC Console: no hay incidentes abiertos</translation>
    </message>
    <message>
        <source>NOC Console: {counts} · {n} unacknowledged</source>
        <translation>NOC Console: {counts} · {n} sin reconocer</translation>
    </message>
    <message>
        <source>REPORTED BY A CUSTOMER: #{id}</source>
        <translation>REPORTADO POR UN CLIENTE: #{id}</translation>
    </message>
    <message>
        <source>NEW CRITICAL: #{id}</source>
        <translation>NUEVO INCIDENTE CRÍTICO: #{id}</translation>
    </message>
</context>
<context>
    <name>ui.wall</name>
    <message>
        <source>NOC Console — wall</source>
        <translation>NOC Console — videowall</translation>
    </message>
    <message>
        <source>ALARM, NO SOUND: {alarm}</source>
        <translation>ALARMA SIN SONIDO: {alarm}</translation>
    </message>
    <message>
        <source>ALARMS MUTED until {time}</source>
        <translation>ALARMAS SILENCIADAS hasta {time}</translation>
    </message>
    <message>
        <source>NO AUDIO: {problem}</source>
        <translation>SIN AUDIO: {problem}</translation>
    </message>
    <message>
        <source>DATABASE ERROR — {message}; what you see may be out of date</source>
        <translation>ERROR DE BASE DE DATOS — {message}; lo que ve puede estar desactualizado</translation>
    </message>
    <message>
        <source>Select an incident with the arrow keys, then press A</source>
        <translation>Seleccione un incidente con las flechas y presione A</translation>
    </message>
    <message>
        <source>#{id} is already acknowledged</source>
        <translation>#{id} ya está reconocido</translation>
    </message>
    <message>
        <source>Acknowledging #{id}…</source>
        <translation>Reconociendo #{id}…</translation>
    </message>
    <message>
        <source>Alarms muted until {time}</source>
        <translation>Alarmas silenciadas hasta {time}</translation>
    </message>
    <message>
        <source>Alarms unmuted</source>
        <translation>Alarmas reactivadas</translation>
    </message>
    <message>
        <source>{app} wall</source>
        <translation>{app} videowall</translation>
    </message>
</context>
<context>
    <name>ui.wall_view</name>
    <message>
        <source>CUSTOMER REPORTED</source>
        <translation>REPORTE DE CLIENTE</translation>
    </message>
    <message>
        <source>FLAPPING</source>
        <translation>INTERMITENTE</translation>
    </message>
    <message>
        <source>ACKNOWLEDGE</source>
        <translation>RECONOCER</translation>
    </message>
    <message>
        <source>ASSESSMENT</source>
        <translation>EVALUACIÓN</translation>
    </message>
    <message>
        <source>CUSTOMER UPDATE</source>
        <translation>ACTUALIZ. CLIENTE</translation>
    </message>
    <message>
        <source>POST-MORTEM</source>
        <translation>POST-MORTEM</translation>
    </message>
    <message>
        <source>EXEC REPORT</source>
        <translation>REPORTE EJEC.</translation>
    </message>
    <message>
        <source>CALLER ACK</source>
        <translation>REC. LLAMADA</translation>
    </message>
    <message>
        <source>acked · {owner}</source>
        <translation>reconocido · {owner}</translation>
    </message>
    <message>
        <source>acked</source>
        <translation>reconocido</translation>
    </message>
    <message>
        <source>with {owner}</source>
        <translation>con {owner}</translation>
    </message>
    <message>
        <source>no owner</source>
        <translation>sin responsable</translation>
    </message>
    <message>
        <source>no service</source>
        <translation>sin servicio</translation>
    </message>
    <message>
        <source>Nothing unacknowledged</source>
        <translation>Nada sin reconocer</translation>
    </message>
    <message>
        <source>Oldest unacked: #{id}, {age}</source>
        <translation>Más antiguo sin reconocer: #{id}, {age}</translation>
    </message>
    <message>
        <source>BLIND: no source has reported yet</source>
        <translation>SIN DATOS: ninguna fuente ha reportado aún</translation>
    </message>
    <message>
        <source>Detected by us today: …</source>
        <translation>Detección propia hoy: …</translation>
    </message>
    <message>
        <source>OK: {sources}</source>
        <translation>OK: {sources}</translation>
    </message>
    <message>
        <source>no successful poll yet</source>
        <translation>aún no hay consultas exitosas</translation>
    </message>
    <message>
        <source>last successful poll {time}</source>
        <translation>última consulta exitosa: {time}</translation>
    </message>
    <message>
        <source>+{count} more not shown</source>
        <translation>+{count} sin mostrar</translation>
    </message>
    <message>
        <source>All clear</source>
        <translation>Todo en orden</translation>
    </message>
</context>
</TS>
